// Types of `capbridge/testing`: the local emulator of every captcha service, in-process.

import type { TaskType } from './index'

/**
 * Settings: the capbridge-emulator binary's flags by name, in camelCase (or as the flag,
 * `'time-scale'`). Every duration is in emulated milliseconds, scaled by `timeScale`.
 */
export interface EmulatorSettings {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number
  /** Multiplies every emulated duration (0.01 runs the documented 20 s in 200 ms). Default 1. */
  timeScale?: number
  /** Solve delay of every kind: `[min, max]`, a fixed number, or `'min-max'`. Default 300-1000. */
  delayMs?: number | string | [number, number]
  /**
   * Solve-time distribution of every kind, or of one (`'RecaptchaV2=lognormal:12000,0.35'`):
   * `'fixed:MS'`, `'uniform:MIN-MAX'` or `'lognormal:MEDIAN,SIGMA'`; a kind's wins, and either
   * wins over `delayMs`.
   */
  solveTime?: string | string[]
  /** Do not enforce the services' request limits. */
  noLimits?: boolean
  /** Only keys given with `account` exist (else every 32-character key is an account). */
  strictAccounts?: boolean
  /** Accounts to create: `'KEY'` or `'KEY:BALANCE'`. */
  account?: string | string[]
  /** Balance of accounts created automatically. Default 10. */
  balance?: number
  /** Seed of answers, delays and fault shares. */
  seed?: number
  /**
   * siteverify's site keys and their secrets, `'SITEKEY=SECRET'`: a declared secret verifies
   * only its site keys' tokens (an undeclared one is bound to the first site key it verifies).
   */
  site?: string | string[]
  /** Any other flag of the binary, by name. */
  [flag: string]: string | number | boolean | string[] | [number, number] | undefined
}

/** A running in-process emulator: its URL, and its admin API (snake_case JSON, as documented). */
export declare class Emulator {
  private constructor()
  /** The base URL, `http://127.0.0.1:PORT/`: the form protocol and the json protocol's generic dialect. */
  readonly url: string
  /** A key the emulator accepts as an account (with its default settings). */
  readonly apiKey: string
  /**
   * A provider's dialect: `urlFor('capsolver')` -> `http://127.0.0.1:PORT/capsolver/` (a preset's
   * `baseUrl`); throws for a provider the emulator has no dialect of, naming those it has.
   */
  urlFor(prefix: string): string
  /** One request to the admin API (`/emulator/<path>`); rejects on an error reply, and once closed. */
  admin(method: string, path: string, body?: unknown): Promise<any>
  /** Every request counted: `requests`, `tasks_accepted`, `polls`, `violations`, `replies`, `keys`, ... */
  counters(): Promise<Record<string, any>>
  config(): Promise<Record<string, any>>
  configure(fields: Record<string, unknown>): Promise<Record<string, any>>
  /** Adds a fault: `{ fault: 'html502', endpoint: 'in', count: 2 }`, `{ fault: 'drop', endpoint: 'res', share: 0.5 }`. */
  fault(fault: Record<string, unknown>): Promise<void>
  clearFaults(): Promise<void>
  /** Adds an outcome rule: `{ when: { kind: 'RecaptchaV2' }, result_error: 'ERROR_CAPTCHA_UNSOLVABLE', times: 1 }`. */
  rule(rule: Record<string, unknown>): Promise<void>
  clearRules(): Promise<void>
  /** The solve delay of one kind, or of every kind without its own. */
  delay(minMs: number, maxMs?: number, kind?: TaskType): Promise<void>
  /** Creates or funds an account; `exists: false` makes the key unknown. */
  account(key: string, options?: { balance?: number; exists?: boolean }): Promise<void>
  balance(key: string): Promise<number>
  /** What the emulator knows of a task: what it received, its state, its answer. */
  task(taskId: string): Promise<Record<string, any>>
  /** Every task id created for a key, in order. */
  tasks(key: string): Promise<Array<number | string>>
  /** The latest protocol requests, oldest first. */
  requests(limit?: number): Promise<Array<Record<string, any>>>
  reset(): Promise<void>
  /** Stops serving; a second call does nothing. */
  close(): void
}

/** Starts the emulator in this process; `close()` stops it. */
export declare function startEmulator(settings?: EmulatorSettings): Emulator

/** Every task kind the package solves (the core's list): iterate over it to test each kind. */
export declare const TASK_KINDS: readonly TaskType[]

/** A key the emulator accepts as an account. */
export declare const DEFAULT_API_KEY: string
