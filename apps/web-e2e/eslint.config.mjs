import baseConfig from '../../eslint.config.mjs';

// Node-side test code (tags scope:web, type:app, platform:node): the workspace rules, whose
// platform:node constraint keeps Angular and other browser-only packages out of the harness.
export default [...baseConfig];
