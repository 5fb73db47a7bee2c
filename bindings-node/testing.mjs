// The ES module entry of `capbridge/testing`: the CommonJS entry's exports (one native module,
// one table of running emulators).
import testing from './testing.js'

export const { startEmulator, Emulator, TASK_KINDS, DEFAULT_API_KEY } = testing
export default testing
