/** The cookie that remembers the learner's theme choice (read by the root layout, written by the toggle). */
export const themeCookie = 'workshop-theme';
