//! The Lua scripts that take every shared decision, each atomically inside Redis and on
//! Redis's own clock (`TIME`), so that machines whose clocks disagree still agree on the
//! limits. No script takes a timestamp from the client: every time they store is Redis's,
//! every time they return is a length (µs from Redis's now).
//!
//! Times are microseconds as whole numbers, written with `%.0f` (exact below 2^53 µs, the
//! year 2255) because Lua 5.1 would print large numbers in exponent form. Every reply is an
//! array of strings.
//!
//! | script | keys | does | replies |
//! |---|---|---|---|
//! | `SUBMIT` | submit, window, queue, due, blocks | one submit decision | `{"1","0"}` go now; `{"0", wait_us}` ask again after the wait; `{"2", block...}` blocked |
//! | `PAUSE` | submit | pushes every submit back by a length | `{pause_left_us}` |
//! | `BLOCK` | blocks | records a block | `{block_left_us}` |
//! | `BUDGET` | budget, blocks | adds tasks and used requests, grants requests | `{grant, left, used, tasks, block...}` |
//! | `WAITS` | waits | adds a process's steps to the learned first waits | `{kind, ln, n, ...}` |
//! | `PUSH` | pushed | keeps a pushed answer and publishes it to the fleet | `{"1"}` |
//! | `KEEP` | any | sets a string with an expiry | `{"1"}` |
//! | `READ` | any | reads a string | `{value}` or `{}` |
//!
//! A block travels as three strings: its JSON (`u` until µs, `s` since µs, `sc` scope
//! `submits` or `all`, `k` error kind, `r` retryable `1`/`0`, `c` code, `m` message), the
//! time left and the time since it started, in µs.
//!
//! No stored time counts for more than its rule's own length ahead of Redis's now, so a
//! step of Redis's clock never makes the fleet wait longer than the rule says (see `COMMON`).

use redis::Script;
use std::sync::OnceLock;

/// Shared by every script: the clock, number formatting, expiry, reading blocks.
///
/// **Clock steps.** The stored times are Redis's absolute times, so a backward step of
/// Redis's clock (or a failover to a replica whose clock is behind) leaves them in the
/// future. Nothing the scripts store may legitimately lie further ahead of `now` than its
/// rule's own length: a grant (`last`, the window's scores) never lies ahead, a pause or a
/// block never ends later than its own length after `now`. A stored time further ahead is
/// taken for a clock step and brought back, and written back, to at most `now` plus that
/// length (`stepped` is set then, and the keys' expiry, which Redis also keeps as an
/// absolute time, is set to what the state needs instead of only being extended). A
/// decision therefore never waits longer than its rule says, whatever the step. Bringing a
/// time back to `now` keeps it at or after the real moment it stands for, so no limit is
/// ever kept short by it. Forward steps cannot be told from time passing: they end pauses
/// and blocks early in Redis (each process keeps the blocks it has read on its own clock).
const COMMON: &str = r#"
if redis.replicate_commands then pcall(redis.replicate_commands) end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local stepped = false
local function fmt(x) return string.format('%.0f', x) end
local function keep(key, ms, cut)
  local left = redis.call('PTTL', key)
  if left == -1 or (left >= 0 and (left < ms or (cut and left > ms))) then
    redis.call('PEXPIRE', key, fmt(ms))
  end
end
-- Scores of a sorted set that lie ahead of now (only a clock step puts them there) move
-- back together, the latest to now, keeping their order and spacing.
local function unstep(key)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  local t = tonumber(top[2])
  if not t or t <= now then return end
  stepped = true
  local ahead = redis.call('ZRANGEBYSCORE', key, '(' .. fmt(now), '+inf', 'WITHSCORES')
  local args = {}
  for i = 1, #ahead, 2 do
    table.insert(args, fmt(tonumber(ahead[i + 1]) - (t - now)))
    table.insert(args, ahead[i])
    if #args >= 400 or i + 2 > #ahead then
      redis.call('ZADD', key, unpack(args))
      args = {}
    end
  end
end
-- Every block in force, ended ones removed and stepped ones brought back (a block that
-- starts after now ends at now + its length): {field, json, until, since, scope}.
local function settle_blocks(key)
  local all = redis.call('HGETALL', key)
  local out, longest, moved = {}, 0, false
  for i = 1, #all, 2 do
    local field, json = all[i], all[i + 1]
    local ok, b = pcall(cjson.decode, json)
    local untl = ok and type(b) == 'table' and tonumber(b.u)
    if not untl or untl <= now then
      redis.call('HDEL', key, field)
    else
      local since = tonumber(b.s) or now
      if since > now then
        untl, since, moved = now + (untl - since), now, true
        b.u, b.s = fmt(untl), fmt(since)
        json = cjson.encode(b)
        redis.call('HSET', key, field, json)
      end
      longest = math.max(longest, untl - now)
      table.insert(out, {field, json, untl, since, b.sc})
    end
  end
  if moved then
    stepped = true
    redis.call('PEXPIRE', key, fmt(longest / 1000 + 1000))
  end
  return out
end
local function active_blocks(key, submit, out)
  for _, b in ipairs(settle_blocks(key)) do
    if b[5] == 'all' or submit then
      table.insert(out, b[2])
      table.insert(out, fmt(b[3] - now))
      table.insert(out, fmt(math.max(0, now - b[4])))
    end
  end
  return out
end
-- The submit state's pause end, brought back when it starts after now (`ps`, its start,
-- is missing only in state written before it was kept: such a pause is taken as it is).
local function settle_pause(key, pause, ps)
  if pause and ps and ps > now then
    pause = now + (pause - ps)
    redis.call('HSET', key, 'pause', fmt(pause), 'ps', fmt(now))
    stepped = true
  end
  return pause
end
"#;

/// One submit decision. ARGV: waiter id, spacing µs, window µs, submits per window (0: no
/// cap), grace µs, slack µs, expiry ms.
///
/// The slot is free from the latest of: the last grant + spacing, the pause, and (with a
/// full window) the oldest grant in the window + the window (which may be past). Processes that were told to
/// wait queue in the order they first asked: the first in the queue gets the free slot, the
/// others are told to come back one spacing later per process ahead of them. A process that
/// does not come back within `slack` of the time it was given loses its place, and one that
/// is later than `grace` after the slot freed lets the next one take it, so a process that
/// dies never holds the fleet up for long.
///
/// After a clock step (see `COMMON`) a `last` ahead of now becomes now, window and queue
/// scores ahead of now move back, a pause ends at most its length after now, and a waiter's
/// time to come back lies at most the expiry (plus the time to the free slot) ahead: the
/// first in the queue never waits longer than the spacing, the window, or the pause.
const SUBMIT: &str = r#"
local blocks = active_blocks(KEYS[5], true, {})
if #blocks > 0 then
  local r = {'2'}
  for _, v in ipairs(blocks) do table.insert(r, v) end
  return r
end
local waiter = ARGV[1]
local spacing, window, per = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local grace, slack, ttl = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local st = redis.call('HMGET', KEYS[1], 'last', 'pause', 'ps')
local last = tonumber(st[1])
local pause = settle_pause(KEYS[1], tonumber(st[2]), tonumber(st[3]))
if last and last > now then
  last = now
  redis.call('HSET', KEYS[1], 'last', fmt(now))
  stepped = true
end
local free = 0
if last then free = last + spacing end
if pause then free = math.max(free, pause) end
if per > 0 then
  unstep(KEYS[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', fmt(now - window))
  local n = redis.call('ZCARD', KEYS[2])
  if n >= per then
    local oldest = redis.call('ZRANGE', KEYS[2], n - per, n - per, 'WITHSCORES')
    free = math.max(free, tonumber(oldest[2]) + window)
  end
end
unstep(KEYS[3])
local due_max = now + math.max(0, free - now) + ttl * 1000
local late = redis.call('ZRANGEBYSCORE', KEYS[4], '(' .. fmt(due_max), '+inf', 'LIMIT', 0, 64)
for _, m in ipairs(late) do redis.call('ZADD', KEYS[4], fmt(due_max), m) end
if #late > 0 then stepped = true end
local gone = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '(' .. fmt(now), 'LIMIT', 0, 64)
for _, m in ipairs(gone) do
  redis.call('ZREM', KEYS[3], m)
  redis.call('ZREM', KEYS[4], m)
end
local rank = redis.call('ZRANK', KEYS[3], waiter)
local ahead = rank
if not rank then ahead = redis.call('ZCARD', KEYS[3]) end
local life = ttl + math.max(0, free - now) / 1000
if now >= free and (ahead == 0 or now >= free + grace) then
  redis.call('HSET', KEYS[1], 'last', fmt(now))
  if per > 0 then redis.call('ZADD', KEYS[2], fmt(now), fmt(now) .. ':' .. waiter) end
  if rank then
    redis.call('ZREM', KEYS[3], waiter)
    redis.call('ZREM', KEYS[4], waiter)
  end
  keep(KEYS[1], life, stepped)
  keep(KEYS[2], life, stepped)
  keep(KEYS[3], life, stepped)
  keep(KEYS[4], life, stepped)
  return {'1', '0'}
end
local turn = math.max(free, now) + ahead * spacing
if ahead > 0 then turn = math.max(turn, free + grace) end
local wait = math.max(turn - now, 1000)
if not rank then redis.call('ZADD', KEYS[3], fmt(now), waiter) end
redis.call('ZADD', KEYS[4], fmt(now + wait + slack), waiter)
life = life + (wait + slack) / 1000
keep(KEYS[1], life, stepped)
if stepped then keep(KEYS[2], life, true) end
keep(KEYS[3], life, stepped)
keep(KEYS[4], life, stepped)
return {'0', fmt(wait)}
"#;

/// Pushes every submit back. ARGV: pause µs, expiry ms (beyond the pause). Keeps the
/// pause's end (`pause`) and its start (`ps`), so that its length is known after a clock
/// step.
const PAUSE: &str = r#"
local untl = now + tonumber(ARGV[1])
local st = redis.call('HMGET', KEYS[1], 'pause', 'ps')
local cur = settle_pause(KEYS[1], tonumber(st[1]), tonumber(st[2]))
if not cur or cur < untl then
  redis.call('HSET', KEYS[1], 'pause', fmt(untl), 'ps', fmt(now))
  cur = untl
end
keep(KEYS[1], tonumber(ARGV[2]) + (cur - now) / 1000, stepped)
return {fmt(cur - now)}
"#;

/// Records a block. ARGV: field (code and scope), scope, length µs, kind, retryable, code,
/// message. A longer block of the same field stays as it is.
const BLOCK: &str = r#"
local untl = now + tonumber(ARGV[3])
for _, b in ipairs(settle_blocks(KEYS[1])) do
  if b[1] == ARGV[1] and b[3] >= untl then return {fmt(b[3] - now)} end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({
  u = fmt(untl), s = fmt(now), sc = ARGV[2], k = ARGV[4], r = ARGV[5], c = ARGV[6], m = ARGV[7]
}))
keep(KEYS[1], (untl - now) / 1000 + 1000, false)
return {fmt(untl - now)}
"#;

/// The poll budget R <= per_task x tasks + allowance, and the blocks of every request.
/// ARGV: tasks to add, requests to add (spent while Redis was away; negative gives unspent
/// requests back), requests wanted, per_task (`-` when the budget is not shared: only the
/// blocks are read), allowance, expiry ms.
const BUDGET: &str = r#"
local r
if ARGV[4] == '-' then
  r = {'0', '0', '0', '0'}
else
  local tasks = redis.call('HINCRBY', KEYS[1], 'tasks', ARGV[1])
  local used = redis.call('HINCRBY', KEYS[1], 'used', ARGV[2])
  if used < 0 then
    redis.call('HSET', KEYS[1], 'used', '0')
    used = 0
  end
  local limit = tonumber(ARGV[4]) * tasks + tonumber(ARGV[5])
  local grant = math.max(0, math.min(tonumber(ARGV[3]), limit - used))
  if grant > 0 then used = redis.call('HINCRBY', KEYS[1], 'used', fmt(grant)) end
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  r = {fmt(grant), fmt(math.max(0, limit - used)), fmt(used), fmt(tasks)}
end
return active_blocks(KEYS[2], false, r)
"#;

/// The fleet's learned first waits (see `engine/learn.rs`): each kind's logarithm of the
/// estimate and its count of tasks. ARGV: expiry ms, the least and the greatest logarithm,
/// then per kind: name, steps to add, tasks to add, the starting point when the fleet has
/// none yet (`nan`: none to give). Replies the fleet's figures of each kind it has.
const WAITS: &str = r#"
local out = {}
local lo, hi = tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 4, #ARGV - 3, 4 do
  local k, dx, dn, start = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  local x = tonumber(redis.call('HGET', KEYS[1], k .. ':x'))
  if not x and start and start == start then x = start end
  if x then
    if dx and dx == dx then x = x + dx end
    x = math.max(lo, math.min(hi, x))
    local n = redis.call('HINCRBY', KEYS[1], k .. ':n', math.floor(dn or 0))
    redis.call('HSET', KEYS[1], k .. ':x', string.format('%.17g', x))
    table.insert(out, k)
    table.insert(out, string.format('%.17g', x))
    table.insert(out, tostring(n))
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return out
"#;

/// A pushed answer for another member: kept (`KEYS[1]`, ARGV[1] the body, ARGV[2] expiry ms)
/// and published (ARGV[3] the channel, ARGV[4] the message).
const PUSH: &str = r#"
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return {'1'}
"#;

/// `KEYS[1]` = ARGV[1], expiring after ARGV[2] ms.
const KEEP: &str = r#"
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {'1'}
"#;

/// `KEYS[1]`'s value, or nothing.
const READ: &str = r#"
local v = redis.call('GET', KEYS[1])
if v then return {v} end
return {}
"#;

/// The scripts, compiled once (their SHA-1 is what `EVALSHA` sends).
pub(crate) struct Scripts {
    pub(crate) submit: Script,
    pub(crate) pause: Script,
    pub(crate) block: Script,
    pub(crate) budget: Script,
    pub(crate) waits: Script,
    pub(crate) push: Script,
    pub(crate) keep: Script,
    pub(crate) read: Script,
}

pub(crate) fn scripts() -> &'static Scripts {
    static S: OnceLock<Scripts> = OnceLock::new();
    S.get_or_init(|| Scripts {
        submit: Script::new(&format!("{COMMON}{SUBMIT}")),
        pause: Script::new(&format!("{COMMON}{PAUSE}")),
        block: Script::new(&format!("{COMMON}{BLOCK}")),
        budget: Script::new(&format!("{COMMON}{BUDGET}")),
        waits: Script::new(WAITS),
        push: Script::new(PUSH),
        keep: Script::new(KEEP),
        read: Script::new(READ),
    })
}
