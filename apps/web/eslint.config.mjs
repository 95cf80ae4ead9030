import { angularProjectConfig } from '../../libs/web/eslint.web.mjs';

export default angularProjectConfig;
