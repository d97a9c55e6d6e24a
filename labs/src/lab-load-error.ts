/** A lab folder that cannot be used; names the file and the field so an author can fix it. */
export class LabLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'LabLoadError';
  }
}
