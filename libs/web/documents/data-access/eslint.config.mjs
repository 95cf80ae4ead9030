import { angularProjectConfig } from '../../eslint.web.mjs';

export default angularProjectConfig;
