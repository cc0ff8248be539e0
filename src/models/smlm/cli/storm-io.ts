// Moved to src/models/io/storm-io.ts (the commands went to src/cli/commands); kept only until
// src/models/live/live-storm.service.ts, reworked elsewhere, imports it from there.
export * from '../../io/storm-io';
