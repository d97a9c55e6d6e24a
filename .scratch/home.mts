import { prepareLearnerHome } from '../apps/terminal-gateway/src/local-sandbox';
console.log(await prepareLearnerHome('/tmp/echo-homes', 'bench', undefined));
