// Imported first by the command-line entry points: their own output is what the operator reads, so
// the API's info logs stay out of it unless LOG_LEVEL asks for them.
process.env['LOG_LEVEL'] ??= 'warn';
