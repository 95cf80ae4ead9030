import baseConfig, { platformNeutral } from '../../eslint.config.mjs';

export default [...baseConfig, platformNeutral];
