/* The C binding's test program: links libcapbridge, starts the emulator, and checks every task
 * kind (with every field on the wire), every error kind, blocking and callback solves from 8
 * threads, cancellation, events, NULL and invalid UTF-8 arguments, a forked child, and the
 * json protocol through the capsolver preset.
 *
 * Usage: test_capbridge [FILTER]   (runs the tests whose name contains FILTER)
 * Environment: CAPBRIDGE_EMULATOR (the emulator binary, required), CAPBRIDGE_VECTORS (the
 * shared test vectors, default tests/vectors). Prints "N passed, N failed"; exits 1 on a
 * failure. */
#define _GNU_SOURCE
#include "capbridge.h"
#include "emu.h"
#include "kinds_table.h"
#include "kinds_vectors.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the runner ------------------------------------------------------------------------ */

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static int failures_in_test;
static emu E;
static const char *vectors_dir = "tests/vectors";

static int check_at(int ok, const char *file, int line, const char *fmt, ...) {
  if (!ok) {
    va_list ap;
    pthread_mutex_lock(&report_lock);
    fprintf(stderr, "    %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    failures_in_test++;
    pthread_mutex_unlock(&report_lock);
  }
  return ok;
}

#define CHECK(cond) check_at(!!(cond), __FILE__, __LINE__, "check failed: %s", #cond)
#define CHECKF(cond, ...) check_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* The status is `want`; else print the error. Evaluates `st` once. */
#define CHECK_STATUS(st, want, err) check_status((st), (want), (err), __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str(got, want, __FILE__, __LINE__)

static int check_str(const char *got, const char *want, const char *file, int line) {
  int ok = (got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0);
  return check_at(ok, file, line, "got \"%s\", expected \"%s\"", got ? got : "(NULL)",
                  want ? want : "(NULL)");
}

static int check_status(capbridge_status st, capbridge_status want, const capbridge_error *err, const char *file,
                        int line) {
  return check_at(st == want, file, line, "status %s, expected %s: %s", capbridge_status_name((int)st),
                  capbridge_status_name((int)want), err ? capbridge_error_to_string(err) : "(no error)");
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* The suite runs on small, busy machines, so a test decides from what happened, never from
 * how fast: it waits for the emulator to show a state instead of sleeping a guess, holds
 * tasks pending (HELD_MS) until it lets them go (POST /emulator/finish), and its only clocks
 * are guards against a hang: HANG_MS, far beyond what any load makes of a step that takes
 * milliseconds, turns a hang into a failure with a name. */
#define HANG_MS 60000
#define HELD_MS "3600000"

/* Waits until task `id` has been polled at least once (the engine is waiting on it). */
static int wait_polled(const char *id) {
  double until = now_ms() + HANG_MS;
  while (emu_task_number(&E, id, "polls") < 1) {
    if (now_ms() > until) return 0;
    sleep_ms(5);
  }
  return 1;
}

/* ---- helpers ---------------------------------------------------------------------------- */

#define V2_KEY "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-"
#define V3_KEY "6LfZil0UAAAAAAdm1Dpzsw9q0F11-bmervx9g5fE"
#define H_KEY "10000000-ffff-ffff-ffff-000000000001"
#define FUN_KEY "12AB34CD-56F7-AB8C-9D01-2EF3456789A0"
#define TS_KEY "0x4AAAAAAAC3DHQFLr1GavRN"
#define PAGE "https://example.com/login"
/* Non-ASCII text: it must reach the service byte for byte. */
#define UA "Mozilla/5.0 (X11; Linux x86_64) \xc3\x84\xc3\xb6 \xe2\x9c\x93"

/* Options every test client starts from: millisecond waits, quick retries. */
static capbridge_options *fast_options(const char *provider, const char *key) {
  capbridge_options *o = capbridge_options_new();
  capbridge_options_set_string(o, "provider", provider);
  capbridge_options_set_string(o, "api_key", key);
  capbridge_options_set_int(o, "initial_delay_ms", 20);
  capbridge_options_set_int(o, "poll_interval_ms", 20);
  capbridge_options_set_int(o, "timeout_ms", HANG_MS); /* a guard: tests that mean a deadline give their own */
  capbridge_options_set_json(o, "retry", "{\"base_delay_ms\": 10, \"max_delay_ms\": 100}");
  return o;
}

static capbridge_client *client_from(capbridge_options *o) {
  capbridge_error *err = NULL;
  capbridge_client *c = capbridge_client_new(o, &err);
  CHECKF(c != NULL, "client_new: %s", capbridge_error_to_string(err));
  capbridge_error_free(err);
  capbridge_options_free(o);
  return c;
}

/* A client of the emulator's form protocol (a custom provider: its URL) with a fresh key. */
static capbridge_client *form_client(char key_out[33]) {
  char key[33];
  emu_fresh_key(key);
  if (key_out) memcpy(key_out, key, 33);
  return client_from(fast_options(E.url, key));
}

static capbridge_task *v2_task(const char *sitekey) {
  capbridge_task *t = capbridge_task_new("RecaptchaV2", NULL);
  capbridge_task_set_string(t, "website_url", PAGE);
  capbridge_task_set_string(t, "website_key", sitekey);
  return t;
}

static unsigned char *image(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/images/%s", vectors_dir, name);
  unsigned char *data = read_file(path, len);
  CHECKF(data != NULL, "cannot read %s", path);
  return data;
}

/* One task of every kind, plain. */
static int every_kind(capbridge_task **tasks) {
  size_t len = 0;
  unsigned char *png = image("captcha.png", &len);
  int n = 0;
  tasks[n] = capbridge_task_new("ImageToText", NULL);
  capbridge_task_set_image(tasks[n++], png, len);
  free(png);
  tasks[n++] = v2_task(V2_KEY);
  tasks[n] = capbridge_task_new("RecaptchaV3", NULL);
  capbridge_task_set_string(tasks[n], "website_url", PAGE);
  capbridge_task_set_string(tasks[n], "website_key", V3_KEY);
  capbridge_task_set_double(tasks[n++], "min_score", 0.3);
  tasks[n] = capbridge_task_new("HCaptcha", NULL);
  capbridge_task_set_string(tasks[n], "website_url", PAGE);
  capbridge_task_set_string(tasks[n++], "website_key", H_KEY);
  tasks[n] = capbridge_task_new("FunCaptcha", NULL);
  capbridge_task_set_string(tasks[n], "website_url", PAGE);
  capbridge_task_set_string(tasks[n++], "public_key", FUN_KEY);
  tasks[n] = capbridge_task_new("Turnstile", NULL);
  capbridge_task_set_string(tasks[n], "website_url", PAGE);
  capbridge_task_set_string(tasks[n++], "website_key", TS_KEY);
  return n;
}

static const char *KINDS[] = {"ImageToText", "RecaptchaV2", "RecaptchaV3", "HCaptcha", "FunCaptcha", "Turnstile"};

/* Checks a solution against what the emulator knows of its task. */
static void check_solution(const capbridge_solution *s, const char *kind) {
  char *info = emu_task(&E, capbridge_solution_task_id(s));
  if (!CHECKF(info != NULL, "no task %s at the emulator", capbridge_solution_task_id(s))) return;
  char *got_kind = emu_json_string(info, "kind");
  char *answer = emu_json_string(info, "answer");
  CHECK_STR(got_kind, kind);
  CHECK_STR(capbridge_solution_answer(s), answer);
  if (strcmp(kind, "HCaptcha") == 0) {
    CHECK(capbridge_solution_user_agent(s) && strncmp(capbridge_solution_user_agent(s), "Mozilla/5.0", 11) == 0);
    CHECK(capbridge_solution_resp_key(s) && strncmp(capbridge_solution_resp_key(s), "E0_", 3) == 0);
  }
  if (strcmp(kind, "Turnstile") == 0) CHECK(capbridge_solution_user_agent(s) != NULL);
  if (strcmp(kind, "FunCaptcha") == 0) CHECK(strstr(capbridge_solution_answer(s), "|pk=" FUN_KEY "|") != NULL);
  CHECK(capbridge_solution_raw_json(s)[0] == '{');
  CHECK(capbridge_solution_provider(s) != NULL);
  free(got_kind);
  free(answer);
  free(info);
}

/* ---- every task kind -------------------------------------------------------------------- */

static void test_every_kind_blocking(void) {
  capbridge_client *c = form_client(NULL);
  capbridge_task *tasks[8];
  int n = every_kind(tasks);
  for (int i = 0; i < n; i++) {
    capbridge_solution *s = NULL;
    capbridge_error *err = NULL;
    capbridge_status st = capbridge_solve(c, tasks[i], NULL, &s, &err);
    if (CHECK_STATUS(st, CAPBRIDGE_OK, err)) check_solution(s, KINDS[i]);
    CHECK(err == NULL);
    capbridge_solution_free(s);
    capbridge_error_free(err);
    capbridge_task_free(tasks[i]);
  }
  capbridge_client_free(c);
}

/* A catalogue example with its files ("@images/x.png") named under the vectors folder. */
static char *expand_example(const char *example) {
  size_t extra = 0;
  for (const char *p = example; (p = strstr(p, "\"@")) != NULL; p += 2) extra += strlen(vectors_dir) + 1;
  char *out = malloc(strlen(example) + extra + 1);
  if (!out) return NULL;
  char *w = out;
  for (const char *p = example; *p;) {
    if (p[0] == '"' && p[1] == '@') {
      w += sprintf(w, "\"%s/", vectors_dir);
      p += 2;
    } else {
      *w++ = *p++;
    }
  }
  *w = '\0';
  return out;
}

static int offered(const kind_row *row, const char *preset) {
  for (int i = 0; row->offered_by[i]; i++)
    if (strcmp(row->offered_by[i], preset) == 0) return 1;
  return 0;
}

/* One table over every kind x preset pair of the catalogue (kinds_table.h, rendered from the
 * core's catalogue): each kind's example solves at each preset that offers it, its structured
 * answer in capbridge_solution_data_json(); elsewhere it is refused before anything is sent. */
static void test_every_offered_pair(void) {
  static const char *PRESETS[] = {"bigcaptcha", "captchaai", "2captcha", "rucaptcha", "nextcaptcha",
                                  "anti-captcha", "capmonster", "capsolver", "2captcha-v2"};
  int solved = 0;
  for (size_t p = 0; p < sizeof PRESETS / sizeof PRESETS[0]; p++) {
    char key[33], base[256];
    emu_fresh_key(key);
    snprintf(base, sizeof base, "%s%s/", E.url, PRESETS[p]);
    capbridge_options *o = fast_options(PRESETS[p], key);
    capbridge_options_set_string(o, "base_url", base);
    capbridge_client *c = client_from(o);
    if (!c) continue;
    for (size_t k = 0; k < sizeof KIND_TABLE / sizeof KIND_TABLE[0]; k++) {
      const kind_row *row = &KIND_TABLE[k];
      if (strcmp(row->kind, "Raw") == 0) continue;
      char *json = expand_example(row->example);
      capbridge_error *err = NULL;
      capbridge_task *t = capbridge_task_from_json(json, &err);
      free(json);
      if (!CHECKF(t != NULL, "%s example: %s", row->kind, capbridge_error_to_string(err))) {
        capbridge_error_free(err);
        continue;
      }
      capbridge_solution *s = NULL;
      capbridge_status st = capbridge_solve(c, t, NULL, &s, &err);
      if (offered(row, PRESETS[p])) {
        if (CHECKF(st == CAPBRIDGE_OK, "%s %s: %s", PRESETS[p], row->kind, capbridge_error_to_string(err))) {
          solved++;
          CHECK(capbridge_solution_answer(s)[0] != '\0');
          CHECK_STR(capbridge_solution_provider(s), PRESETS[p]);
          const char *data = capbridge_solution_data_json(s);
          for (int d = 0; row->data_always[d]; d++) {
            char quoted[64];
            snprintf(quoted, sizeof quoted, "\"%s\":", row->data_always[d]);
            CHECKF(strstr(data, quoted) != NULL, "%s %s: no %s in %s", PRESETS[p], row->kind, quoted, data);
          }
        }
      } else {
        CHECKF(st == CAPBRIDGE_ERR_USAGE, "%s %s: expected a usage error, got %d", PRESETS[p], row->kind, (int)st);
        CHECK(err != NULL && strstr(capbridge_error_message(err), row->kind) != NULL);
      }
      capbridge_solution_free(s);
      capbridge_error_free(err);
      capbridge_task_free(t);
    }
    capbridge_client_free(c);
  }
  CHECKF(solved > 100, "only %d pairs solved", solved);
}

/* The kind a vector's task JSON names ("type"), copied into `out`. */
static void vector_kind(const char *task, char *out, size_t size) {
  const char *p = strstr(task, "\"type\":\"");
  size_t n = 0;
  if (p) {
    p += 8;
    while (p[n] && p[n] != '"' && n + 1 < size) n++;
    memcpy(out, p, n);
  }
  out[n] = '\0';
}

static int is_form_preset(const char *preset) {
  static const char *FORM[] = {"bigcaptcha", "captchaai", "2captcha", "rucaptcha"};
  for (size_t i = 0; i < sizeof FORM / sizeof FORM[0]; i++)
    if (strcmp(FORM[i], preset) == 0) return 1;
  return 0;
}

/* A client of a vector pair's preset at that preset's dialect of the emulator, with the pair's
 * options (a form preset's json_replies); NULL (a failed check) if it cannot be made. */
static capbridge_client *pair_client(const char *provider, int json_replies) {
  char key[33], base[256];
  emu_fresh_key(key);
  snprintf(base, sizeof base, "%s%s/", E.url, provider);
  capbridge_options *o = fast_options(provider, key);
  capbridge_options_set_string(o, "base_url", base);
  if (is_form_preset(provider)) capbridge_options_set_bool(o, "json_replies", json_replies != 0);
  return client_from(o);
}

/* A vector pair's task, made from its JSON (files named under the vectors folder). */
static capbridge_task *pair_task(const kind_pair *v, capbridge_error **err) {
  char *json = expand_example(v->task);
  capbridge_task *t = capbridge_task_from_json(json, err);
  free(json);
  return t;
}

/* Every "@images/x.png" string in `v` as the base64 of that file (the vectors' convention). */
static void files_as_base64(emu_json *v) {
  if (v->type == EMU_JSON_STRING && v->text[0] == '@') {
    char path[1024];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", vectors_dir, v->text + 1);
    unsigned char *bytes = read_file(path, &len);
    char *b64 = bytes ? emu_base64(bytes, len) : NULL;
    if (CHECKF(b64 != NULL, "cannot read %s", path)) {
      free(v->text);
      v->text = b64;
    }
    free(bytes);
  }
  for (size_t i = 0; i < v->n; i++) files_as_base64(v->items[i]);
}

/* The text of a string member of `v`, or NULL. */
static const char *member_text(const emu_json *v, const char *key) {
  const emu_json *m = emu_json_get(v, key);
  return m && m->type == EMU_JSON_STRING ? m->text : NULL;
}

/* kinds.json's submit_replies (inside the parsed vectors, while they live). */
static const emu_json *submit_replies;

/* tests/vectors/kinds.json, its files as base64, parsed (kinds_vectors.h holds the tasks but
 * Raw ones and a form preset's fields, not a json preset's task object, the replies or the
 * solutions); NULL (a failed check) when it cannot be read or disagrees with kinds_vectors.h. */
static emu_json *load_kinds(void) {
  char path[1024];
  size_t len = 0;
  snprintf(path, sizeof path, "%s/kinds.json", vectors_dir);
  char *text = (char *)read_file(path, &len);
  emu_json *kinds = emu_json_parse(text);
  free(text);
  if (!CHECKF(kinds != NULL, "cannot read %s", path)) return NULL;
  files_as_base64(kinds);
  submit_replies = emu_json_get(kinds, "submit_replies");
  const emu_json *pairs = emu_json_get(kinds, "pairs");
  size_t rendered = 0, want = sizeof KIND_PAIRS / sizeof KIND_PAIRS[0];
  for (size_t i = 0; pairs && i < pairs->n; i++) {
    const char *type = member_text(emu_json_get(pairs->items[i], "task"), "type");
    rendered += !type || strcmp(type, "Raw") != 0;
  }
  if (!CHECKF(pairs && rendered == want,
              "kinds.json has %zu pairs but Raw ones, kinds_vectors.h %zu (cargo run -p capbridge-codegen)", rendered,
              want)) {
    emu_json_free(kinds);
    return NULL;
  }
  return kinds;
}

/* The pair of kinds.json that `v` was rendered from (by name), or NULL (a failed check). */
static const emu_json *vector_pair(const emu_json *kinds, const kind_pair *v) {
  const emu_json *pairs = emu_json_get(kinds, "pairs");
  for (size_t i = 0; pairs && i < pairs->n; i++) {
    const char *name = member_text(pairs->items[i], "name");
    if (name && strcmp(name, v->name) == 0) return pairs->items[i];
  }
  CHECKF(0, "%s: not in kinds.json (cargo run -p capbridge-codegen)", v->name);
  return NULL;
}

/* A json preset's task: the task object the emulator received (the task info's "raw") is the
 * vector's request, and the body's other fields ("envelope") are its body_extra, nothing more. */
static void check_task_object(const kind_pair *v, const emu_json *pair, const char *info_text) {
  emu_json *info = emu_json_parse(info_text), *none = emu_json_parse("{}");
  const emu_json *request = emu_json_get(pair, "request"), *extra = emu_json_get(pair, "body_extra");
  int ok = CHECKF(emu_json_same(emu_json_get(info, "raw"), request), "%s: the task object differs", v->name);
  ok &= CHECKF(emu_json_same(emu_json_get(info, "envelope"), extra ? extra : none),
               "%s: the body beside the task object differs", v->name);
  if (!ok) {
    char *want = emu_json_text(request), *want_extra = emu_json_text(extra ? extra : none);
    fprintf(stderr, "    expected task %s, beside it %s\n    task info: %s\n", want, want_extra, info_text);
    free(want);
    free(want_extra);
  }
  emu_json_free(none);
  emu_json_free(info);
}

/* The shared vectors of every kind x preset pair (tests/vectors/kinds.json, as kinds_vectors.h):
 * each pair's task, made from its JSON, reaches that preset's dialect of the emulator as that
 * kind (a form preset's fields arrive as the vectors say, files aside; a json preset's task
 * object arrives as the vectors say, files as their base64); what a preset cannot take is
 * refused before anything is sent; what validation refuses names the field. */
static void test_kinds_vectors(void) {
  emu_json *kinds = load_kinds();
  for (size_t i = 0; kinds && i < sizeof KIND_PAIRS / sizeof KIND_PAIRS[0]; i++) {
    const kind_pair *v = &KIND_PAIRS[i];
    const emu_json *pair = vector_pair(kinds, v);
    char kind[64];
    vector_kind(v->task, kind, sizeof kind);
    /* Raw requests are sent as given (the core's own vector test pins them). */
    if (!pair || strcmp(kind, "Raw") == 0) continue;
    capbridge_client *c = pair_client(v->provider, v->json_replies);
    if (!c) continue;
    capbridge_error *err = NULL;
    capbridge_task *t = pair_task(v, &err);
    char *id = NULL;
    capbridge_status st = t ? capbridge_submit(c, t, NULL, &id, &err) : CAPBRIDGE_ERR_USAGE;
    if (CHECKF(st == CAPBRIDGE_OK, "%s: %s", v->name, capbridge_error_to_string(err))) {
      char *info = emu_task(&E, id);
      char want_kind[96];
      snprintf(want_kind, sizeof want_kind, "\"kind\":\"%s\"", kind);
      CHECKF(info && strstr(info, want_kind), "%s: the emulator saw %s", v->name, info ? info : "nothing");
      char *names[64], *values[64];
      int n = info ? emu_json_pairs(info, "params", names, values, 64) : -1;
      if (v->fields[0] && CHECKF(n >= 0, "%s: no params", v->name)) {
        int ok = 1, want_n = 0;
        for (; v->fields[2 * want_n]; want_n++) {
          const char *name = v->fields[2 * want_n], *value = v->fields[2 * want_n + 1];
          int found = 0;
          for (int k = 0; k < n; k++) {
            if (strcmp(names[k], name) != 0) continue;
            found = 1;
            /* A file's bytes are checked by the core's vectors; here only that it arrived. */
            if (value[0] != '@')
              ok &= CHECKF(strcmp(values[k], value) == 0, "%s: %s arrived as \"%s\", expected \"%s\"", v->name,
                           name, values[k], value);
          }
          ok &= CHECKF(found, "%s: %s did not arrive", v->name, name);
        }
        int got_n = 0;
        for (int k = 0; k < n; k++)
          if (strcmp(names[k], "body") != 0 && strcmp(names[k], "file") != 0) got_n++;
        ok &= CHECKF(got_n == want_n, "%s: %d fields arrived, expected %d", v->name, got_n, want_n);
        if (!ok) fprintf(stderr, "    task info: %s\n", info);
      }
      if (info && !is_form_preset(v->provider)) check_task_object(v, pair, info);
      if (n >= 0) emu_free_pairs(names, values, n);
      free(info);
    }
    capbridge_string_free(id);
    capbridge_error_free(err);
    capbridge_task_free(t);
    capbridge_client_free(c);
  }
  emu_json_free(kinds);

  long long accepted = emu_counter(&E, "tasks_accepted");
  for (size_t i = 0; i < sizeof KIND_REFUSALS / sizeof KIND_REFUSALS[0]; i++) {
    const kind_refusal *v = &KIND_REFUSALS[i];
    char key[33], base[256];
    emu_fresh_key(key);
    snprintf(base, sizeof base, "%s%s/", E.url, v->provider);
    capbridge_options *o = fast_options(v->provider, key);
    capbridge_options_set_string(o, "base_url", base);
    capbridge_client *c = client_from(o);
    if (!c) continue;
    char *json = expand_example(v->task);
    capbridge_error *err = NULL;
    capbridge_task *t = capbridge_task_from_json(json, &err);
    free(json);
    char *id = NULL;
    if (CHECKF(t != NULL, "%s: %s", v->name, capbridge_error_to_string(err))) {
      capbridge_status st = capbridge_submit(c, t, NULL, &id, &err);
      CHECKF(st == CAPBRIDGE_ERR_USAGE, "%s: expected a usage error, got %d", v->name, (int)st);
    }
    capbridge_string_free(id);
    capbridge_error_free(err);
    capbridge_task_free(t);
    capbridge_client_free(c);
  }
  CHECKF(emu_counter(&E, "tasks_accepted") == accepted, "a refused task reached the emulator");

  for (size_t i = 0; i < sizeof KIND_INVALID / sizeof KIND_INVALID[0]; i++) {
    const kind_invalid *v = &KIND_INVALID[i];
    char *json = expand_example(v->task);
    capbridge_error *err = NULL;
    capbridge_task *t = capbridge_task_from_json(json, &err);
    free(json);
    if (CHECKF(t == NULL && err != NULL, "%s: accepted", v->name)) {
      CHECKF(capbridge_error_kind(err) == CAPBRIDGE_ERR_INVALID_TASK, "%s: kind %d", v->name,
             (int)capbridge_error_kind(err));
      const char *field = capbridge_error_field(err);
      CHECKF(field && strcmp(field, v->field) == 0, "%s: field %s, expected %s", v->name, field ? field : "(none)",
             v->field);
    }
    capbridge_error_free(err);
    capbridge_task_free(t);
  }
}

/* A submit reply accepting a task the emulator did not make (it does not know every Raw
 * request), in the preset's dialect, from the vectors; NULL when they lack it. */
static const char *submit_reply(const char *provider, int json_replies) {
  const char *dialect = is_form_preset(provider) ? (json_replies ? "form_json" : "form_text")
                        : strcmp(provider, "capsolver") == 0 ? "capsolver"
                                                              : "json";
  return member_text(submit_replies, dialect);
}

/* The emulator's next reply at `endpoint` under the preset's path: `body`, once. */
static int play_reply(const char *provider, const char *endpoint, const char *body) {
  char *quoted = emu_json_quote(body), *fault = NULL;
  if (!quoted || asprintf(&fault,
                          "{\"fault\":\"reply\",\"endpoint\":\"%s\",\"prefix\":\"%s\",\"status\":200,"
                          "\"count\":1,\"body\":%s}",
                          endpoint, provider, quoted) < 0) {
    free(quoted);
    return 0;
  }
  int ok = emu_admin(&E, "POST", "faults", fault) == 0;
  free(quoted);
  free(fault);
  return ok;
}

/* Solves one pair of kinds.json, the emulator playing its reply, and compares the solution. */
static void check_pair_solution(const emu_json *pair) {
  const char *name = member_text(pair, "name"), *provider = member_text(pair, "provider");
  const emu_json *task_json = emu_json_get(pair, "task");
  const emu_json *json_replies = emu_json_get(emu_json_get(pair, "options"), "json_replies");
  const char *kind = member_text(task_json, "type");
  if (!CHECKF(name && provider && kind, "a pair of kinds.json without a name, provider or task type")) return;
  int form = is_form_preset(provider), replies = !json_replies || json_replies->boolean;
  /* The reply as the service sends it: text verbatim, JSON compact with its keys in the
   * vector's order (a Raw answer that is JSON keeps the provider's). */
  const emu_json *reply = emu_json_get(pair, "reply"), *in_submit = emu_json_get(pair, "answered_in_submit");
  const char *text = member_text(reply, "text");
  char *body = text ? strdup(text) : emu_json_text(emu_json_get(reply, "json"));
  const char *endpoints[2], *bodies[2];
  int played = 0;
  if (in_submit && in_submit->boolean) {
    endpoints[played] = "create";
    bodies[played++] = body;
  } else {
    if (strcmp(kind, "Raw") == 0) {
      endpoints[played] = form ? "in" : "create";
      bodies[played] = submit_reply(provider, replies);
      if (!CHECKF(bodies[played] != NULL, "%s: kinds.json has no submit reply for %s", name, provider)) {
        free(body);
        return;
      }
      played++;
    }
    endpoints[played] = form ? "res" : "result";
    bodies[played++] = body;
  }
  int ok = body != NULL && emu_admin(&E, "DELETE", "faults", NULL) == 0;
  for (int k = 0; ok && k < played; k++) ok = play_reply(provider, endpoints[k], bodies[k]);
  free(body);
  if (!CHECKF(ok, "%s: cannot script the emulator", name)) return;
  long long served = emu_counter(&E, "faults_injected");
  capbridge_client *c = pair_client(provider, replies);
  if (!c) return;
  /* The task from kinds.json itself (kinds_vectors.h has no Raw task), its files as base64. */
  char *task_text = emu_json_text(task_json);
  capbridge_error *err = NULL;
  capbridge_solution *s = NULL;
  capbridge_task *t = task_text ? capbridge_task_from_json(task_text, &err) : NULL;
  capbridge_status st = t ? capbridge_solve(c, t, NULL, &s, &err) : CAPBRIDGE_ERR_USAGE;
  if (CHECKF(st == CAPBRIDGE_OK, "%s: %s", name, capbridge_error_to_string(err))) {
    /* Every reply played was read: the answer is the vector's reply's, not the emulator's. */
    long long read = emu_counter(&E, "faults_injected") - served;
    CHECKF(read == played, "%s: %lld of the %d replies played were read", name, read, played);
    const emu_json *want = emu_json_get(pair, "solution");
    const char *got = capbridge_solution_answer(s), *answer = member_text(want, "answer");
    CHECKF(answer && strcmp(got, answer) == 0, "%s: answer\n      got  %s\n      want %s", name, got,
           answer ? answer : "(none)");
    emu_json *data = emu_json_parse(capbridge_solution_data_json(s));
    if (!CHECKF(emu_json_same(data, emu_json_get(want, "data")), "%s: data", name)) {
      char *want_data = emu_json_text(emu_json_get(want, "data"));
      fprintf(stderr, "      got  %s\n      want %s\n", capbridge_solution_data_json(s), want_data);
      free(want_data);
    }
    emu_json_free(data);
  }
  free(task_text);
  capbridge_solution_free(s);
  capbridge_error_free(err);
  capbridge_task_free(t);
  capbridge_client_free(c);
}

/* Every pair of tests/vectors/kinds.json (Raw ones too) solved, the emulator playing the
 * vector's reply (a `reply` fault at the pair's preset: the next poll, or the createTask when
 * the preset answers in the submit reply; a Raw task's submit reply too, since the emulator
 * does not know every Raw request): the solution's answer is the vector's, and
 * capbridge_solution_data_json() is its data (numbers by value, key order aside), as
 * core/tests/kinds.rs reads them. */
static void test_kinds_vectors_solutions(void) {
  emu_json *kinds = load_kinds();
  const emu_json *pairs = emu_json_get(kinds, "pairs");
  for (size_t i = 0; pairs && i < pairs->n; i++) check_pair_solution(pairs->items[i]);
  emu_json_free(kinds);
  submit_replies = NULL;
  emu_admin(&E, "DELETE", "faults", NULL);
}

/* Submits `task` and compares the parameters the emulator received with `want` (name,
 * value pairs, NULL-terminated): the same set, value for value. */
static char *submit_and_compare(capbridge_client *c, capbridge_task *task, const char *const *want) {
  char *id = NULL;
  capbridge_error *err = NULL;
  capbridge_status st = capbridge_submit(c, task, NULL, &id, &err);
  if (!CHECK_STATUS(st, CAPBRIDGE_OK, err)) {
    capbridge_error_free(err);
    return NULL;
  }
  char *info = emu_task(&E, id);
  char *names[64], *values[64];
  int n = info ? emu_json_pairs(info, "params", names, values, 64) : -1;
  int want_n = 0;
  while (want[2 * want_n]) want_n++;
  if (CHECKF(n >= 0, "no params for task %s", id)) {
    int ok = CHECKF(n == want_n, "%d parameters arrived, expected %d", n, want_n);
    for (int w = 0; w < want_n; w++) {
      int found = 0;
      for (int i = 0; i < n; i++) {
        if (strcmp(names[i], want[2 * w]) == 0) {
          found = 1;
          ok &= CHECKF(strcmp(values[i], want[2 * w + 1]) == 0, "%s arrived as \"%s\", expected \"%s\"",
                       names[i], values[i], want[2 * w + 1]);
        }
      }
      ok &= CHECKF(found, "%s did not arrive", want[2 * w]);
    }
    if (!ok) fprintf(stderr, "    task info: %s\n", info);
    emu_free_pairs(names, values, n);
  }
  free(info);
  capbridge_task_free(task);
  return id;
}

static void test_every_field_reaches_the_wire(void) {
  char key[33];
  emu_fresh_key(key);
  capbridge_options *o = fast_options(E.url, key);
  capbridge_options_set_int(o, "soft_id", 77);
  capbridge_client *c = client_from(o);
  capbridge_task *t;
  char *id;

  /* ImageToText: every hint, the image from bytes. */
  size_t len = 0;
  unsigned char *jpg = image("captcha.jpg", &len);
  t = capbridge_task_new("ImageToText", NULL);
  capbridge_task_set_image(t, jpg, len);
  capbridge_task_set_bool(t, "phrase", true);
  capbridge_task_set_bool(t, "case_sensitive", true);
  capbridge_task_set_int(t, "numeric", 4);
  capbridge_task_set_bool(t, "math", true);
  capbridge_task_set_int(t, "min_length", 4);
  capbridge_task_set_int(t, "max_length", 6);
  capbridge_task_set_string(t, "lang", "en");
  capbridge_task_set_string(t, "comment", "type the red letters \xc3\xa9");
  capbridge_task_set_string(t, "pingback", "http://1.2.3.4/pingback_handler/");
  const char *image_want[] = {"method", "base64", "phrase", "1", "regsense", "1", "numeric", "4", "calc", "1",
                              "min_len", "4", "max_len", "6", "lang", "en", "textinstructions",
                              "type the red letters \xc3\xa9", "pingback", "http://1.2.3.4/pingback_handler/",
                              "json", "1", "soft_id", "77", NULL};
  id = submit_and_compare(c, t, image_want);
  if (id) {
    char *info = emu_task(&E, id);
    char expect[64];
    snprintf(expect, sizeof expect, "\"image\":[\"jpeg\",%zu]", len);
    CHECKF(info && strstr(info, expect), "image: expected %s in %s", expect, info ? info : "(none)");
    free(info);
  }
  capbridge_string_free(id);

  /* ImageToText as a multipart upload. */
  t = capbridge_task_new("ImageToText", NULL);
  capbridge_task_set_image(t, jpg, len);
  capbridge_task_set_string(t, "upload", "multipart");
  const char *multipart_want[] = {"method", "post", "json", "1", "soft_id", "77", NULL};
  capbridge_string_free(submit_and_compare(c, t, multipart_want));
  free(jpg);

  /* reCAPTCHA v2: every field, cookies added one by one, an extra field. */
  t = v2_task(V2_KEY);
  capbridge_task_set_string(t, "website_url", "https://example.com/login?next=%2F");
  capbridge_task_set_bool(t, "invisible", true);
  capbridge_task_set_string(t, "data_s", "Zm9vYmFy_-");
  capbridge_task_set_bool(t, "enterprise", true);
  capbridge_task_set_string(t, "api_domain", "recaptcha.net");
  capbridge_task_set_string(t, "user_agent", UA);
  capbridge_task_add_cookie(t, "NID", "abc");
  capbridge_task_add_cookie(t, "SID", "x=y");
  capbridge_task_set_proxy(t, "http://user:pass@1.2.3.4:3128");
  capbridge_task_set_string(t, "pingback", "https://hooks.example.com/cb");
  capbridge_task_set_extra_string(t, "s_custom", "v1");
  const char *v2_want[] = {"method", "userrecaptcha", "googlekey", V2_KEY, "pageurl",
                           "https://example.com/login?next=%2F", "invisible", "1", "data-s", "Zm9vYmFy_-",
                           "enterprise", "1", "domain", "recaptcha.net", "userAgent", UA, "cookies",
                           "NID:abc;SID:x=y", "proxy", "user:pass@1.2.3.4:3128", "proxytype", "HTTP",
                           "pingback", "https://hooks.example.com/cb", "s_custom", "v1", "json", "1",
                           "soft_id", "77", NULL};
  capbridge_string_free(submit_and_compare(c, t, v2_want));

  /* Cookies given as an object, then one added: all are sent (the object's were dropped once). */
  t = v2_task(V2_KEY);
  CHECK(capbridge_task_set_json(t, "cookies", "{\"NID\": \"abc\", \"SID\": \"x=y\"}") == CAPBRIDGE_OK);
  CHECK(capbridge_task_add_cookie(t, "HSID", "h1") == CAPBRIDGE_OK);
  const char *mixed_want[] = {"method", "userrecaptcha", "googlekey", V2_KEY, "pageurl", "https://example.com/login",
                              "cookies", "NID:abc;SID:x=y;HSID:h1", "json", "1", "soft_id", "77", NULL};
  capbridge_string_free(submit_and_compare(c, t, mixed_want));
  /* Cookies as one text cannot take one more: refused, not replaced by the one added. */
  t = v2_task(V2_KEY);
  CHECK(capbridge_task_set_string(t, "cookies", "A:1;B:2") == CAPBRIDGE_OK);
  CHECK(capbridge_task_add_cookie(t, "C", "3") == CAPBRIDGE_ERR_INVALID_TASK);
  {
    capbridge_error *err = NULL;
    CHECK(capbridge_task_validate(t, &err) == CAPBRIDGE_ERR_INVALID_TASK);
    CHECKF(err && strcmp(capbridge_error_field(err), "cookies") == 0 &&
               strstr(capbridge_error_message(err), "set earlier"),
           "%s", err ? capbridge_error_to_string(err) : "(no error)");
    capbridge_error_free(err);
  }
  capbridge_task_free(t);

  /* reCAPTCHA v3. */
  t = capbridge_task_new("RecaptchaV3", NULL);
  capbridge_task_set_string(t, "website_url", "https://example.com/checkout");
  capbridge_task_set_string(t, "website_key", V3_KEY);
  capbridge_task_set_string(t, "action", "do_something");
  capbridge_task_set_double(t, "min_score", 0.3);
  capbridge_task_set_bool(t, "enterprise", true);
  capbridge_task_set_string(t, "api_domain", "recaptcha.net");
  capbridge_task_set_proxy(t, "socks5://login:secret@5.6.7.8:1080");
  const char *v3_want[] = {"method", "userrecaptcha", "version", "v3", "googlekey", V3_KEY, "pageurl",
                           "https://example.com/checkout", "action", "do_something", "min_score", "0.3",
                           "enterprise", "1", "domain", "recaptcha.net", "proxy", "login:secret@5.6.7.8:1080",
                           "proxytype", "SOCKS5", "json", "1", "soft_id", "77", NULL};
  capbridge_string_free(submit_and_compare(c, t, v3_want));

  /* hCaptcha. */
  t = capbridge_task_new("HCaptcha", NULL);
  capbridge_task_set_string(t, "website_url", "https://accounts.example.com/");
  capbridge_task_set_string(t, "website_key", H_KEY);
  capbridge_task_set_string(t, "api_domain", "js.hcaptcha.com");
  capbridge_task_set_bool(t, "invisible", true);
  capbridge_task_set_string(t, "rqdata", "rq+data/==");
  capbridge_task_set_string(t, "user_agent", UA);
  capbridge_task_set_proxy(t, "https://u:p@proxy.example.com:8443");
  const char *h_want[] = {"method", "hcaptcha", "sitekey", H_KEY, "pageurl", "https://accounts.example.com/",
                          "domain", "js.hcaptcha.com", "invisible", "1", "data", "rq+data/==", "userAgent", UA,
                          "proxy", "u:p@proxy.example.com:8443", "proxytype", "HTTPS", "json", "1", "soft_id",
                          "77", NULL};
  capbridge_string_free(submit_and_compare(c, t, h_want));

  /* FunCaptcha: data entries one by one. */
  t = capbridge_task_new("FunCaptcha", NULL);
  capbridge_task_set_string(t, "website_url", "https://www.example.com/signup");
  capbridge_task_set_string(t, "public_key", FUN_KEY);
  capbridge_task_set_string(t, "surl", "https://client-api.arkoselabs.com");
  capbridge_task_set_data(t, "blob", "stringValue");
  capbridge_task_set_data(t, "custom_1", "x y");
  capbridge_task_set_string(t, "user_agent", UA);
  capbridge_task_set_proxy(t, "socks4://9.9.9.9:4145");
  const char *fun_want[] = {"method", "funcaptcha", "publickey", FUN_KEY, "pageurl",
                            "https://www.example.com/signup", "surl", "https://client-api.arkoselabs.com",
                            "data[blob]", "stringValue", "data[custom_1]", "x y", "userAgent", UA, "proxy",
                            "9.9.9.9:4145", "proxytype", "SOCKS4", "json", "1", "soft_id", "77", NULL};
  capbridge_string_free(submit_and_compare(c, t, fun_want));

  /* Turnstile. */
  t = capbridge_task_new("Turnstile", NULL);
  capbridge_task_set_string(t, "website_url", "https://site.example/");
  capbridge_task_set_string(t, "website_key", TS_KEY);
  capbridge_task_set_string(t, "action", "managed");
  capbridge_task_set_string(t, "cdata", "7fab0000b0e0ff00");
  capbridge_task_set_string(t, "page_data", "3gAFo2l...");
  capbridge_task_set_string(t, "user_agent", UA);
  capbridge_task_set_proxy(t, "1.2.3.4:8080");
  const char *ts_want[] = {"method", "turnstile", "sitekey", TS_KEY, "pageurl", "https://site.example/", "action",
                           "managed", "data", "7fab0000b0e0ff00", "pagedata", "3gAFo2l...", "userAgent", UA,
                           "proxy", "1.2.3.4:8080", "proxytype", "HTTP", "json", "1", "soft_id", "77", NULL};
  capbridge_string_free(submit_and_compare(c, t, ts_want));

  /* The JSON form reaches the same parser: the same wire as the setters. */
  capbridge_error *err = NULL;
  t = capbridge_task_from_json(
      "{\"type\": \"RecaptchaV2\", \"website_url\": \"https://example.com/login?next=%2F\","
      " \"website_key\": \"" V2_KEY "\", \"invisible\": true, \"data_s\": \"Zm9vYmFy_-\","
      " \"enterprise\": true, \"api_domain\": \"recaptcha.net\", \"user_agent\": \"" UA "\","
      " \"cookies\": [[\"NID\", \"abc\"], [\"SID\", \"x=y\"]], \"proxy\": \"http://user:pass@1.2.3.4:3128\","
      " \"pingback\": \"https://hooks.example.com/cb\", \"extra\": {\"s_custom\": \"v1\"}}",
      &err);
  if (CHECKF(t != NULL, "from_json: %s", capbridge_error_to_string(err))) {
    capbridge_string_free(submit_and_compare(c, t, v2_want));
  }
  capbridge_error_free(err);
  capbridge_client_free(c);
}

/* ---- the json protocol: the capsolver preset pointed at the emulator ---------------------- */

static void test_json_preset_capsolver(void) {
  char key[33], base[256];
  emu_fresh_key(key);
  snprintf(base, sizeof base, "%scapsolver/", E.url);
  capbridge_options *o = fast_options("capsolver", key);
  capbridge_options_set_string(o, "base_url", base);
  capbridge_client *c = client_from(o);
  if (!c) return;
  capbridge_task *tasks[8];
  int n = every_kind(tasks);
  for (int i = 0; i < n; i++) {
    capbridge_solution *s = NULL;
    capbridge_error *err = NULL;
    capbridge_status st = capbridge_solve(c, tasks[i], NULL, &s, &err);
    if (CHECK_STATUS(st, CAPBRIDGE_OK, err)) {
      check_solution(s, KINDS[i]);
      CHECK_STR(capbridge_solution_provider(s), "capsolver");
      /* CapSolver task ids are UUIDs. */
      CHECK(strlen(capbridge_solution_task_id(s)) == 36);
    }
    capbridge_solution_free(s);
    capbridge_error_free(err);
    capbridge_task_free(tasks[i]);
  }

  /* Fields reach CapSolver's createTask (the emulator reports them under capbridge's names). */
  capbridge_task *t = capbridge_task_new("Turnstile", NULL);
  capbridge_task_set_string(t, "website_url", "https://site.example/");
  capbridge_task_set_string(t, "website_key", TS_KEY);
  capbridge_task_set_string(t, "action", "login");
  capbridge_task_set_string(t, "cdata", "cd-\xc3\xa9");
  const char *ts_want[] = {"website_url", "https://site.example/", "website_key", TS_KEY, "action", "login",
                           "cdata", "cd-\xc3\xa9", NULL};
  capbridge_string_free(submit_and_compare(c, t, ts_want));

  char *balance = NULL;
  capbridge_error *err = NULL;
  capbridge_status st = capbridge_balance(c, &balance, &err);
  CHECK_STATUS(st, CAPBRIDGE_OK, err);
  CHECK(balance && strtod(balance, NULL) > 0);
  capbridge_string_free(balance);
  capbridge_error_free(err);
  capbridge_client_free(c);
}

/* ---- the other verbs -------------------------------------------------------------------- */

static void test_submit_result_wait_report_balance(void) {
  capbridge_client *c = form_client(NULL);
  capbridge_error *err = NULL;
  emu_admin(&E, "POST", "rules", "{\"when\": {\"sitekey\": \"slow-timeout\"}, \"delay_ms\": " HELD_MS "}");

  /* A solve that times out keeps its task id; capbridge_result and capbridge_wait collect it
   * once the emulator lets the task go (its submit goes out at once, long before the
   * deadline of a second). */
  capbridge_task *t = v2_task("slow-timeout");
  capbridge_solve_options *so = capbridge_solve_options_new();
  capbridge_solve_options_set_int(so, "timeout_ms", 1000);
  capbridge_solution *s = NULL;
  capbridge_status st = capbridge_solve(c, t, so, &s, &err);
  CHECK_STATUS(st, CAPBRIDGE_ERR_TIMEOUT, err);
  CHECK(s == NULL);
  CHECK(capbridge_error_kind(err) == CAPBRIDGE_ERR_TIMEOUT);
  CHECK(capbridge_error_retryable(err));
  const char *tid = capbridge_error_task_id(err);
  if (CHECK(tid != NULL)) {
    char *id = strdup(tid);
    st = capbridge_result(c, id, &s, NULL);
    CHECK_STATUS(st, CAPBRIDGE_OK, NULL);
    CHECK(s == NULL); /* not solved yet */
    emu_admin(&E, "POST", "finish", NULL);
    capbridge_solve_options_set_int(so, "timeout_ms", HANG_MS);
    st = capbridge_wait(c, id, so, &s, NULL);
    if (CHECK_STATUS(st, CAPBRIDGE_OK, NULL)) {
      CHECK_STR(capbridge_solution_task_id(s), id);
      capbridge_solution_free(s);
      s = NULL;
    }
    st = capbridge_result(c, id, &s, NULL);
    CHECK_STATUS(st, CAPBRIDGE_OK, NULL);
    CHECK(s != NULL);
    capbridge_solution_free(s);
    free(id);
  }
  capbridge_error_free(err);
  capbridge_task_free(t);
  capbridge_solve_options_free(so);

  /* submit, wait, report good; balance; err is set to NULL on success. */
  char *id = NULL;
  t = v2_task(V2_KEY);
  st = capbridge_submit(c, t, NULL, &id, &err);
  CHECK_STATUS(st, CAPBRIDGE_OK, err);
  st = capbridge_wait(c, id, NULL, &s, &err);
  CHECK_STATUS(st, CAPBRIDGE_OK, err);
  capbridge_solution_free(s);
  int dummy;
  err = (capbridge_error *)&dummy;
  st = capbridge_report(c, id, true, &err);
  CHECK_STATUS(st, CAPBRIDGE_OK, NULL);
  CHECK(err == NULL);
  char *info = emu_task(&E, id);
  char *report = info ? emu_json_string(info, "report") : NULL;
  CHECK_STR(report, "good");
  free(report);
  free(info);
  capbridge_string_free(id);
  char *balance = NULL;
  st = capbridge_balance(c, &balance, &err);
  CHECK_STATUS(st, CAPBRIDGE_OK, err);
  CHECKF(balance && strtod(balance, NULL) > 9 && strtod(balance, NULL) < 10, "balance %s", balance);
  capbridge_string_free(balance);
  capbridge_task_free(t);
  capbridge_client_free(c);

  /* A solve's own request_timeout_ms bounds its submit: the client's is two minutes, past the
   * solve's deadline, and the one submit the emulator stalls for an hour is cut after 300 ms
   * and sent again. Without it the solve would end in a timeout, not an answer. */
  char key[33];
  emu_fresh_key(key);
  capbridge_options *o = fast_options(E.url, key);
  capbridge_options_set_int(o, "request_timeout_ms", 2 * HANG_MS);
  c = client_from(o);
  emu_admin(&E, "POST", "faults", "{\"fault\": \"slow\", \"endpoint\": \"in\", \"delay_ms\": 3600000, \"count\": 1}");
  so = capbridge_solve_options_new();
  CHECK(capbridge_solve_options_set_int(so, "request_timeout_ms", 300) == CAPBRIDGE_OK);
  t = v2_task(V2_KEY);
  s = NULL;
  st = capbridge_solve(c, t, so, &s, &err);
  CHECK_STATUS(st, CAPBRIDGE_OK, err);
  capbridge_solution_free(s);
  /* Out of range: refused before anything is sent, naming the option as spelled. */
  CHECK(capbridge_solve_options_set_int(so, "request_timeout_ms", 0) == CAPBRIDGE_OK);
  s = NULL;
  st = capbridge_solve(c, t, so, &s, &err);
  CHECK_STATUS(st, CAPBRIDGE_ERR_USAGE, err);
  CHECK(s == NULL);
  CHECK_STR(capbridge_error_option(err), "request_timeout_ms");
  capbridge_error_free(err);
  err = NULL;
  capbridge_solve_options_free(so);
  capbridge_task_free(t);
  capbridge_client_free(c);
}

/* ---- every error kind ------------------------------------------------------------------- */

static int seen[16];

/* Runs one solve and checks its error's kind and code; returns the error (caller frees). */
static capbridge_error *solve_error(capbridge_client *c, capbridge_task *t, const capbridge_solve_options *so,
                                    capbridge_status want, const char *code) {
  capbridge_solution *s = NULL;
  capbridge_error *err = NULL;
  capbridge_status st = capbridge_solve(c, t, so, &s, &err);
  CHECK_STATUS(st, want, err);
  CHECK(s == NULL);
  if (err) {
    CHECK(capbridge_error_kind(err) == st);
    CHECK_STR(capbridge_error_kind_name(err), capbridge_status_name((int)want));
    if (code) CHECK_STR(capbridge_error_code(err), code);
    CHECK(capbridge_error_message(err) && capbridge_error_message(err)[0]);
    seen[capbridge_error_kind(err)] = 1;
  }
  capbridge_solution_free(s);
  return err;
}

static void test_every_error_kind(void) {
  char key[33];
  capbridge_client *c = form_client(key);
  capbridge_error *err;
  capbridge_task *t;

  emu_admin(&E, "POST", "rules", "{\"when\": {\"sitekey\": \"limit\"}, \"submit_error\": \"ERROR: 1001\"}");
  emu_admin(&E, "POST", "rules", "{\"when\": {\"sitekey\": \"badproxy\"}, \"submit_error\": \"ERROR_BAD_PROXY\"}");
  emu_admin(&E, "POST", "rules",
            "{\"when\": {\"sitekey\": \"unsolvable\"}, \"result_error\": \"ERROR_CAPTCHA_UNSOLVABLE\"}");
  emu_admin(&E, "POST", "rules", "{\"when\": {\"sitekey\": \"newcode\"}, \"submit_error\": \"ERROR_SOMETHING_NEW\"}");
  emu_admin(&E, "POST", "rules", "{\"when\": {\"sitekey\": \"pageurl\"}, \"submit_error\": \"ERROR_PAGEURL\"}");
  emu_admin(&E, "POST", "rules", "{\"when\": {\"sitekey\": \"slow-cancel0\"}, \"delay_ms\": " HELD_MS "}");

  /* invalid_task: refused before sending (naming the field), and by the service. */
  t = capbridge_task_new("RecaptchaV2", NULL);
  capbridge_task_set_string(t, "website_url", "ftp://x");
  capbridge_task_set_string(t, "website_key", "k");
  err = solve_error(c, t, NULL, CAPBRIDGE_ERR_INVALID_TASK, NULL);
  CHECK_STR(capbridge_error_field(err), "website_url");
  CHECK(capbridge_error_code(err) == NULL && capbridge_error_task_id(err) == NULL);
  CHECK(!capbridge_error_retryable(err) && capbridge_error_retry_after_ms(err) == -1);
  capbridge_error_free(err);
  capbridge_task_free(t);
  t = v2_task("pageurl");
  capbridge_error_free(solve_error(c, t, NULL, CAPBRIDGE_ERR_INVALID_TASK, "ERROR_PAGEURL"));
  capbridge_task_free(t);

  /* rate_limited, with the service's block time. */
  t = v2_task("limit");
  err = solve_error(c, t, NULL, CAPBRIDGE_ERR_RATE_LIMITED, "ERROR: 1001");
  CHECK(capbridge_error_retryable(err));
  CHECKF(capbridge_error_retry_after_ms(err) == 600000, "retry after %lld ms",
         (long long)capbridge_error_retry_after_ms(err));
  capbridge_error_free(err);
  capbridge_task_free(t);
  capbridge_client_free(c);

  c = form_client(NULL);
  /* proxy */
  t = v2_task("badproxy");
  err = solve_error(c, t, NULL, CAPBRIDGE_ERR_PROXY, "ERROR_BAD_PROXY");
  CHECK_STR(capbridge_error_field(err), "proxy");
  capbridge_error_free(err);
  capbridge_task_free(t);

  /* unsolvable, after the submit: carries the task id. */
  t = v2_task("unsolvable");
  err = solve_error(c, t, NULL, CAPBRIDGE_ERR_UNSOLVABLE, "ERROR_CAPTCHA_UNSOLVABLE");
  CHECK(capbridge_error_retryable(err));
  char *unsolved = capbridge_error_task_id(err) ? strdup(capbridge_error_task_id(err)) : NULL;
  CHECK(unsolved != NULL);
  capbridge_error_free(err);
  capbridge_task_free(t);

  /* not_found */
  capbridge_solution *s = NULL;
  err = NULL;
  capbridge_status st = capbridge_result(c, "123", &s, &err);
  CHECK_STATUS(st, CAPBRIDGE_ERR_NOT_FOUND, err);
  CHECK_STR(capbridge_error_code(err), "ERROR_WRONG_CAPTCHA_ID");
  CHECK_STR(capbridge_error_task_id(err), "123");
  seen[capbridge_error_kind(err)] = 1;
  capbridge_error_free(err);

  /* report: the unsolved task cannot be reported. */
  if (unsolved) {
    st = capbridge_report(c, unsolved, false, &err);
    CHECK_STATUS(st, CAPBRIDGE_ERR_REPORT, err);
    seen[capbridge_error_kind(err)] = 1;
    capbridge_error_free(err);
    free(unsolved);
  }

  /* service: a code capbridge does not know keeps its raw text. */
  t = v2_task("newcode");
  capbridge_error_free(solve_error(c, t, NULL, CAPBRIDGE_ERR_SERVICE, "ERROR_SOMETHING_NEW"));
  capbridge_task_free(t);

  /* timeout */
  t = v2_task("slow-cancel0");
  capbridge_solve_options *so = capbridge_solve_options_new();
  capbridge_solve_options_set_int(so, "timeout_ms", 1000); /* the submit goes out at once */
  err = solve_error(c, t, so, CAPBRIDGE_ERR_TIMEOUT, NULL);
  CHECK(capbridge_error_task_id(err) != NULL);
  capbridge_error_free(err);
  capbridge_solve_options_free(so);

  /* cancelled: a token cancelled before the solve. */
  capbridge_cancel_token *token = capbridge_cancel_token_new();
  CHECK(!capbridge_cancel_token_is_cancelled(token));
  capbridge_cancel(token);
  CHECK(capbridge_cancel_token_is_cancelled(token));
  so = capbridge_solve_options_new();
  capbridge_solve_options_set_cancel_token(so, token);
  capbridge_cancel_token_free(token); /* the options keep their own reference */
  capbridge_error_free(solve_error(c, t, so, CAPBRIDGE_ERR_CANCELLED, NULL));
  capbridge_solve_options_free(so);
  capbridge_task_free(t);
  capbridge_client_free(c);

  /* auth: the key's account does not exist; the key never appears in the error. */
  emu_fresh_key(key);
  char body[128];
  snprintf(body, sizeof body, "{\"key\": \"%s\", \"exists\": false}", key);
  emu_admin(&E, "POST", "accounts", body);
  c = client_from(fast_options(E.url, key));
  t = v2_task(V2_KEY);
  err = solve_error(c, t, NULL, CAPBRIDGE_ERR_AUTH, "ERROR_KEY_DOES_NOT_EXIST");
  CHECK(!capbridge_error_retryable(err));
  CHECK(strstr(capbridge_error_to_string(err), key) == NULL);
  capbridge_error_free(err);
  capbridge_client_free(c);

  /* balance */
  emu_fresh_key(key);
  snprintf(body, sizeof body, "{\"key\": \"%s\", \"balance\": 0}", key);
  emu_admin(&E, "POST", "accounts", body);
  c = client_from(fast_options(E.url, key));
  capbridge_error_free(solve_error(c, t, NULL, CAPBRIDGE_ERR_BALANCE, "ERROR_ZERO_BALANCE"));
  capbridge_client_free(c);

  /* network: the emulator drops the connection after creating the task, three times; the
   * engine resubmits at most twice, then says the outcome is unknown. */
  c = form_client(key);
  snprintf(body, sizeof body, "{\"fault\": \"drop\", \"endpoint\": \"in\", \"count\": 3}");
  emu_admin(&E, "POST", "faults", body);
  err = solve_error(c, t, NULL, CAPBRIDGE_ERR_NETWORK, NULL);
  CHECK(strstr(capbridge_error_to_string(err), key) == NULL);
  capbridge_error_free(err);
  emu_admin(&E, "DELETE", "faults", NULL);
  capbridge_client_free(c);

  /* usage: a bad option, named. */
  capbridge_options *o = fast_options(E.url, key);
  capbridge_options_set_int(o, "timout_ms", 5);
  err = NULL;
  c = capbridge_client_new(o, &err);
  CHECK(c == NULL);
  CHECK(capbridge_error_kind(err) == CAPBRIDGE_ERR_USAGE);
  CHECK_STR(capbridge_error_option(err), "timout_ms");
  CHECKF(strstr(capbridge_error_message(err), "did you mean timeout") != NULL, "%s",
         capbridge_error_message(err));
  seen[capbridge_error_kind(err)] = 1;
  capbridge_error_free(err);
  capbridge_options_free(o);
  capbridge_task_free(t);

  for (int k = 1; k <= 13; k++) CHECKF(seen[k], "error kind %s was not provoked", capbridge_status_name(k));
}

static void test_status_names_match_the_kinds(void) {
  static const char *const names[] = {"ok", "invalid_task", "auth", "balance", "rate_limited",
                                      "proxy", "unsolvable", "not_found", "report", "timeout",
                                      "network", "service", "cancelled", "usage", "panic"};
  for (int i = 0; i <= 14; i++) CHECK_STR(capbridge_status_name(i), names[i]);
  CHECK(CAPBRIDGE_OK == 0 && CAPBRIDGE_ERR_USAGE == 13 && CAPBRIDGE_ERR_TIMEOUT == 9);
  /* A bug caught at the C boundary has its own status, never mistaken for the service's. */
  CHECK(CAPBRIDGE_ERR_PANIC == 14 && CAPBRIDGE_ERR_PANIC != CAPBRIDGE_ERR_SERVICE);
  CHECK_STR(capbridge_status_name(CAPBRIDGE_ERR_PANIC), "panic");
  CHECK_STR(capbridge_status_name(15), "unknown");
  CHECK_STR(capbridge_status_name(-1), "unknown");
  CHECK(capbridge_version() && strchr(capbridge_version(), '.'));
}

/* ---- NULL and garbage ------------------------------------------------------------------- */

#define BAD_UTF8 "\xc3\x28 \xff\xfe"

static void expect_error(capbridge_status st, capbridge_error *err, capbridge_status want, const char *needle,
                         int line) {
  check_at(st == want, __FILE__, line, "status %s, expected %s", capbridge_status_name((int)st),
           capbridge_status_name((int)want));
  if (check_at(err != NULL, __FILE__, line, "no error")) {
    check_at(capbridge_error_kind(err) == want, __FILE__, line, "kind %s", capbridge_error_kind_name(err));
    check_at(strstr(capbridge_error_to_string(err), needle) != NULL, __FILE__, line, "\"%s\" not in \"%s\"",
             needle, capbridge_error_to_string(err));
  }
  capbridge_error_free(err);
}
/* Runs `call` (which may set `errvar`), then checks and frees the error. */
#define EXPECT_ERROR(call, errvar, want, needle)                                                \
  do {                                                                                          \
    capbridge_status status_ = (call);                                                          \
    expect_error(status_, errvar, want, needle, __LINE__);                                      \
    errvar = NULL;                                                                              \
  } while (0)

static void test_null_and_garbage_arguments(void) {
  capbridge_client *c = form_client(NULL);
  capbridge_task *t = v2_task(V2_KEY);
  capbridge_solution *s = (capbridge_solution *)&s; /* must be reset to NULL */
  capbridge_error *err = NULL;
  char *str = NULL;

  /* Every blocking verb: NULL client, task, out-parameter, text; err may be NULL. */
  EXPECT_ERROR(capbridge_solve(NULL, t, NULL, &s, &err), err, CAPBRIDGE_ERR_USAGE, "client is NULL");
  CHECK(s == NULL);
  EXPECT_ERROR(capbridge_solve(c, NULL, NULL, &s, &err), err, CAPBRIDGE_ERR_USAGE, "task is NULL");
  EXPECT_ERROR(capbridge_solve(c, t, NULL, NULL, &err), err, CAPBRIDGE_ERR_USAGE, "solution is NULL");
  CHECK(capbridge_solve(NULL, NULL, NULL, NULL, NULL) == CAPBRIDGE_ERR_USAGE);
  EXPECT_ERROR(capbridge_submit(c, t, NULL, NULL, &err), err, CAPBRIDGE_ERR_USAGE, "task_id is NULL");
  EXPECT_ERROR(capbridge_submit(NULL, t, NULL, &str, &err), err, CAPBRIDGE_ERR_USAGE, "client is NULL");
  EXPECT_ERROR(capbridge_result(c, NULL, &s, &err), err, CAPBRIDGE_ERR_USAGE, "task_id is NULL");
  EXPECT_ERROR(capbridge_result(c, BAD_UTF8, &s, &err), err, CAPBRIDGE_ERR_USAGE, "task_id is not valid UTF-8");
  EXPECT_ERROR(capbridge_wait(c, BAD_UTF8, NULL, &s, &err), err, CAPBRIDGE_ERR_USAGE, "not valid UTF-8");
  EXPECT_ERROR(capbridge_wait(c, "1", NULL, NULL, &err), err, CAPBRIDGE_ERR_USAGE, "solution is NULL");
  EXPECT_ERROR(capbridge_balance(NULL, &str, &err), err, CAPBRIDGE_ERR_USAGE, "client is NULL");
  EXPECT_ERROR(capbridge_balance(c, NULL, &err), err, CAPBRIDGE_ERR_USAGE, "balance is NULL");
  EXPECT_ERROR(capbridge_report(c, NULL, true, &err), err, CAPBRIDGE_ERR_USAGE, "task_id is NULL");
  EXPECT_ERROR(capbridge_report(NULL, "1", true, &err), err, CAPBRIDGE_ERR_USAGE, "client is NULL");
  EXPECT_ERROR(capbridge_client_new(NULL, &err) == NULL ? CAPBRIDGE_ERR_USAGE : CAPBRIDGE_OK, err,
               CAPBRIDGE_ERR_USAGE, "options is NULL");
  CHECK(capbridge_solve_async(NULL, t, NULL, NULL, NULL, &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "client is NULL");
  CHECK(capbridge_solve_async(c, t, NULL, NULL, NULL, &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "callback is NULL");

  /* Tasks: an unknown kind in the core's words; NULL and non-UTF-8 kinds and JSON. */
  CHECK(capbridge_task_new("Nope", &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_INVALID_TASK, err, CAPBRIDGE_ERR_INVALID_TASK, "RecaptchaV2");
  CHECK(capbridge_task_new(NULL, &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_INVALID_TASK, err, CAPBRIDGE_ERR_INVALID_TASK, "type: is NULL");
  CHECK(capbridge_task_new(BAD_UTF8, &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_INVALID_TASK, err, CAPBRIDGE_ERR_INVALID_TASK, "type: is not valid UTF-8");
  CHECK(capbridge_task_from_json("{", &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_INVALID_TASK, err, CAPBRIDGE_ERR_INVALID_TASK, "not valid JSON");
  CHECK(capbridge_task_from_json("{\"type\": \"RecaptchaV2\", \"website_url\": \"" PAGE "\"}", &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_INVALID_TASK, err, CAPBRIDGE_ERR_INVALID_TASK, "website_key: is required");
  CHECK(capbridge_task_from_json(NULL, &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_INVALID_TASK, err, CAPBRIDGE_ERR_INVALID_TASK, "is NULL");
  CHECK(capbridge_task_from_json("{\"type\": \"" BAD_UTF8 "\"}", &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_INVALID_TASK, err, CAPBRIDGE_ERR_INVALID_TASK, "not valid UTF-8");

  /* Setters: a failure is returned and remembered, so the task cannot be sent half-built. */
  capbridge_task *bad = v2_task(V2_KEY);
  CHECK(capbridge_task_set_string(bad, "user_agent", BAD_UTF8) == CAPBRIDGE_ERR_INVALID_TASK);
  CHECK(capbridge_task_set_string(bad, "user_agent", "fine now") == CAPBRIDGE_OK);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_INVALID_TASK,
               "user_agent: is not valid UTF-8");
  EXPECT_ERROR(capbridge_solve(c, bad, NULL, &s, &err), err, CAPBRIDGE_ERR_INVALID_TASK, "user_agent");
  capbridge_task_free(bad);
  bad = v2_task(V2_KEY);
  CHECK(capbridge_task_set_string(bad, NULL, "x") == CAPBRIDGE_ERR_USAGE);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_USAGE, "the name is NULL");
  capbridge_task_free(bad);
  bad = v2_task(V2_KEY);
  CHECK(capbridge_task_set_string(bad, "website_url", NULL) == CAPBRIDGE_ERR_INVALID_TASK);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_INVALID_TASK, "website_url: is NULL");
  capbridge_task_free(bad);
  bad = capbridge_task_new("RecaptchaV3", NULL);
  CHECK(capbridge_task_set_double(bad, "min_score", NAN) == CAPBRIDGE_ERR_INVALID_TASK);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_INVALID_TASK, "min_score: is not a finite");
  capbridge_task_free(bad);
  bad = v2_task(V2_KEY);
  CHECK(capbridge_task_set_json(bad, "cookies", "{bad") == CAPBRIDGE_ERR_INVALID_TASK);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_INVALID_TASK, "cookies: is not valid JSON");
  capbridge_task_free(bad);
  bad = v2_task(V2_KEY);
  CHECK(capbridge_task_add_cookie(bad, "NID", BAD_UTF8) == CAPBRIDGE_ERR_INVALID_TASK);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_INVALID_TASK, "cookie value is not valid");
  capbridge_task_free(bad);
  bad = capbridge_task_new("FunCaptcha", NULL);
  CHECK(capbridge_task_set_data(bad, NULL, "v") == CAPBRIDGE_ERR_INVALID_TASK);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_INVALID_TASK, "data key is NULL");
  capbridge_task_free(bad);
  bad = capbridge_task_new("ImageToText", NULL);
  CHECK(capbridge_task_set_image(bad, NULL, 500) == CAPBRIDGE_ERR_INVALID_TASK);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_INVALID_TASK, "image");
  capbridge_task_free(bad);
  /* Wrong types and values reach the core's own checks, which name the field. */
  bad = v2_task(V2_KEY);
  CHECK(capbridge_task_set_string(bad, "invisible", "yes") == CAPBRIDGE_OK);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_INVALID_TASK,
               "invisible: expected true or false");
  capbridge_task_unset(bad, "invisible");
  CHECK(capbridge_task_validate(bad, NULL) == CAPBRIDGE_OK);
  CHECK(capbridge_task_set_int(bad, "no_such_field", 1) == CAPBRIDGE_OK);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_INVALID_TASK,
               "no_such_field: is not a field of RecaptchaV2");
  CHECK(capbridge_task_set_extra_json(bad, "x", "[1") == CAPBRIDGE_ERR_INVALID_TASK);
  capbridge_task_free(bad);
  bad = capbridge_task_new("ImageToText", NULL);
  unsigned char junk[300];
  memset(junk, 'x', sizeof junk);
  CHECK(capbridge_task_set_image(bad, junk, sizeof junk) == CAPBRIDGE_OK);
  EXPECT_ERROR(capbridge_task_validate(bad, &err), err, CAPBRIDGE_ERR_INVALID_TASK, "not a jpg, png or gif");
  capbridge_task_free(bad);
  /* NULL tasks: nowhere to remember, the status says it. */
  CHECK(capbridge_task_set_string(NULL, "website_url", PAGE) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_set_bool(NULL, "invisible", true) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_set_int(NULL, "numeric", 1) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_set_double(NULL, "min_score", 0.5) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_set_json(NULL, "x", "1") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_set_image(NULL, junk, 1) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_set_proxy(NULL, "1.2.3.4:80") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_add_cookie(NULL, "a", "b") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_set_data(NULL, "a", "b") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_set_extra_string(NULL, "a", "b") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_set_extra_json(NULL, "a", "1") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_task_unset(NULL, "a") == CAPBRIDGE_ERR_USAGE);
  EXPECT_ERROR(capbridge_task_validate(NULL, &err), err, CAPBRIDGE_ERR_USAGE, "task is NULL");

  /* Options: non-UTF-8 text is refused, named, and never echoed. */
  capbridge_options *o = fast_options(E.url, "0123456789abcdef0123456789abcdef");
  CHECK(capbridge_options_set_string(o, "api_key", "secret" BAD_UTF8) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_client_new(o, &err) == NULL);
  CHECK_STR(capbridge_error_option(err), "api_key");
  CHECK(strstr(capbridge_error_to_string(err), "secret") == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "api_key: is not valid UTF-8");
  capbridge_options_free(o);
  o = fast_options(E.url, "0123456789abcdef0123456789abcdef");
  CHECK(capbridge_options_set_int(o, "limits", 5) == CAPBRIDGE_OK);
  CHECK(capbridge_options_set_int(o, "limits.submit_interval_ms", 0) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_client_new(o, &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "limits.submit_interval_ms");
  capbridge_options_free(o);
  o = fast_options("no-such-provider", "0123456789abcdef0123456789abcdef");
  CHECK(capbridge_client_new(o, &err) == NULL);
  CHECK_STR(capbridge_error_option(err), "provider");
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "provider");
  capbridge_options_free(o);
  o = fast_options("2captcha", "0123456789abcdef0123456789abcdef");
  capbridge_options_set_int(o, "timeout_ms", -1);
  CHECK(capbridge_client_new(o, &err) == NULL);
  CHECK_STR(capbridge_error_option(err), "timeout_ms");
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "timeout_ms");
  capbridge_options_free(o);
  o = fast_options("2captcha", "0123456789abcdef0123456789abcdef");
  capbridge_options_set_int(o, "request_timeout_ms", 0);
  CHECK(capbridge_client_new(o, &err) == NULL);
  CHECK_STR(capbridge_error_option(err), "request_timeout_ms");
  CHECKF(!strstr(capbridge_error_message(err), "1 hours"), "%s", capbridge_error_message(err));
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "request_timeout_ms: must be between 1 ms and 1 hour");
  capbridge_options_free(o);
  o = fast_options("2captcha", "0123456789abcdef0123456789abcdef");
  capbridge_options_set_int(o, "poll_interval_ms", 0);
  CHECK(capbridge_client_new(o, &err) == NULL);
  CHECK_STR(capbridge_error_option(err), "poll_interval_ms");
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "poll_interval_ms");
  capbridge_options_free(o);
  o = fast_options("2captcha", "0123456789abcdef0123456789abcdef");
  CHECK(capbridge_options_add_provider(o, "capsolver", NULL, NULL, NULL) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_client_new(o, &err) == NULL);
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "API key is NULL");
  capbridge_options_free(o);
  o = fast_options("2captcha", "0123456789abcdef0123456789abcdef");
  CHECK(capbridge_options_add_provider(o, "capsolver", "0123456789abcdef0123456789abcdef", NULL, "json") ==
        CAPBRIDGE_OK);
  CHECK(capbridge_client_new(o, &err) == NULL); /* the core: protocol only for a base URL */
  CHECK_STR(capbridge_error_option(err), "providers[0].protocol");
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "protocol");
  capbridge_options_free(o);
  CHECK(capbridge_options_set_string(NULL, "a", "b") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_options_set_int(NULL, "a", 1) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_options_set_double(NULL, "a", 1) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_options_set_bool(NULL, "a", true) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_options_set_json(NULL, "a", "1") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_options_unset(NULL, "a") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_options_add_provider(NULL, "a", "b", NULL, NULL) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_options_set_event_callback(NULL, NULL, NULL) == CAPBRIDGE_ERR_USAGE);

  /* Solve options: checked by the core when used. */
  capbridge_solve_options *so = capbridge_solve_options_new();
  CHECK(capbridge_solve_options_set_double(so, "timeout_ms", INFINITY) == CAPBRIDGE_ERR_USAGE);
  EXPECT_ERROR(capbridge_solve(c, t, so, &s, &err), err, CAPBRIDGE_ERR_USAGE, "timeout_ms: is not a finite");
  capbridge_solve_options_free(so);
  so = capbridge_solve_options_new();
  CHECK(capbridge_solve_options_set_int(so, "poll_interval_ms", 0) == CAPBRIDGE_OK);
  CHECK(capbridge_solve(c, t, so, &s, &err) == CAPBRIDGE_ERR_USAGE);
  /* Range errors name the option as the caller spelled it, unit included. */
  CHECK_STR(capbridge_error_option(err), "poll_interval_ms");
  EXPECT_ERROR(CAPBRIDGE_ERR_USAGE, err, CAPBRIDGE_ERR_USAGE, "poll_interval_ms: ");
  capbridge_solve_options_unset(so, "poll_interval_ms");
  CHECK(capbridge_solve_options_set_json(so, "bogus", "true") == CAPBRIDGE_OK);
  EXPECT_ERROR(capbridge_solve(c, t, so, &s, &err), err, CAPBRIDGE_ERR_USAGE, "bogus: is not an option");
  capbridge_solve_options_free(so);
  CHECK(capbridge_solve_options_set_int(NULL, "a", 1) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_solve_options_set_double(NULL, "a", 1) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_solve_options_set_json(NULL, "a", "1") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_solve_options_unset(NULL, "a") == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_solve_options_set_cancel_token(NULL, NULL) == CAPBRIDGE_ERR_USAGE);
  CHECK(capbridge_solve_options_set_event_callback(NULL, NULL, NULL) == CAPBRIDGE_ERR_USAGE);

  /* Accessors and frees take NULL. */
  CHECK(capbridge_error_kind(NULL) == CAPBRIDGE_OK);
  CHECK_STR(capbridge_error_kind_name(NULL), "ok");
  CHECK(capbridge_error_code(NULL) == NULL && capbridge_error_message(NULL) == NULL);
  CHECK(capbridge_error_field(NULL) == NULL && capbridge_error_option(NULL) == NULL);
  CHECK(capbridge_error_task_id(NULL) == NULL && capbridge_error_to_string(NULL) == NULL);
  CHECK(!capbridge_error_retryable(NULL) && capbridge_error_retry_after_ms(NULL) == -1);
  CHECK(capbridge_error_clone(NULL) == NULL && capbridge_solution_clone(NULL) == NULL);
  CHECK(capbridge_solution_answer(NULL) == NULL && capbridge_solution_task_id(NULL) == NULL);
  CHECK(capbridge_solution_user_agent(NULL) == NULL && capbridge_solution_resp_key(NULL) == NULL);
  CHECK(capbridge_solution_cost(NULL) == NULL && capbridge_solution_provider(NULL) == NULL);
  CHECK(capbridge_solution_raw_json(NULL) == NULL);
  CHECK(capbridge_event_solve_id(NULL) == 0 && capbridge_event_step(NULL) == NULL);
  CHECK(capbridge_event_provider(NULL) == NULL && capbridge_event_task_kind(NULL) == NULL);
  CHECK(capbridge_event_task_id(NULL) == NULL && capbridge_event_elapsed_ms(NULL) == 0);
  CHECK(capbridge_event_attempt(NULL) == 0 && capbridge_event_error_kind(NULL) == CAPBRIDGE_OK);
  CHECK(capbridge_event_code(NULL) == NULL && capbridge_event_message(NULL) == NULL);
  CHECK(capbridge_event_to_string(NULL) == NULL);
  CHECK(capbridge_cancel(NULL) == CAPBRIDGE_ERR_USAGE && !capbridge_cancel_token_is_cancelled(NULL));
  CHECK(capbridge_solve_handle_cancel(NULL) == CAPBRIDGE_ERR_USAGE && !capbridge_solve_handle_done(NULL));
  capbridge_error_free(NULL);
  capbridge_solution_free(NULL);
  capbridge_task_free(NULL);
  capbridge_options_free(NULL);
  capbridge_solve_options_free(NULL);
  capbridge_client_free(NULL);
  capbridge_cancel_token_free(NULL);
  capbridge_solve_handle_free(NULL);
  capbridge_string_free(NULL);

  /* The client still works after all that. */
  s = NULL;
  capbridge_status st = capbridge_solve(c, t, NULL, &s, &err);
  CHECK_STATUS(st, CAPBRIDGE_OK, err);
  capbridge_error_free(err);
  capbridge_solution_free(s);
  capbridge_task_free(t);
  capbridge_client_free(c);
}

/* ---- hostile replies ------------------------------------------------------------------- */

/* Whether `s` is valid UTF-8 (every string the library hands out must be). */
static int valid_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    int n = *p < 0x80 ? 0 : (*p >> 5) == 6 ? 1 : (*p >> 4) == 14 ? 2 : (*p >> 3) == 30 ? 3 : -1;
    if (n < 0) return 0;
    p++;
    while (n-- > 0) {
      if ((*p & 0xC0) != 0x80) return 0;
      p++;
    }
  }
  return 1;
}

static void test_hostile_replies(void) {
  char key[33];
  capbridge_client *c = form_client(key);
  capbridge_task *t = v2_task(V2_KEY);
  capbridge_task_set_proxy(t, "http://user:hunter2@1.2.3.4:3128");
  capbridge_solve_options *so = capbridge_solve_options_new();
  capbridge_solve_options_set_int(so, "timeout_ms", 1500);

  /* Bytes that are not UTF-8 inside the answer's reply: what comes out is still UTF-8. */
  emu_admin(&E, "POST", "faults", "{\"fault\": \"non_utf8\", \"endpoint\": \"res\", \"count\": 1}");
  capbridge_solution *s = NULL;
  capbridge_error *err = NULL;
  capbridge_status st = capbridge_solve(c, t, so, &s, &err);
  if (st == CAPBRIDGE_OK)
    CHECK(valid_utf8(capbridge_solution_answer(s)) && valid_utf8(capbridge_solution_raw_json(s)));
  else
    CHECKF(valid_utf8(capbridge_error_to_string(err)), "error text is not UTF-8");
  capbridge_solution_free(s);
  capbridge_error_free(err);
  emu_admin(&E, "DELETE", "faults", NULL);

  /* A service that echoes the request (key, proxy password) in its error pages: neither
   * reaches the error, whatever the error is. */
  emu_admin(&E, "POST", "faults", "{\"fault\": \"echo\", \"endpoint\": \"in\"}");
  s = NULL;
  err = NULL;
  st = capbridge_solve(c, t, so, &s, &err);
  CHECK(st != CAPBRIDGE_OK && err != NULL);
  if (err) {
    CHECKF(strstr(capbridge_error_to_string(err), key) == NULL, "the key leaked: %s", capbridge_error_to_string(err));
    CHECKF(strstr(capbridge_error_to_string(err), "hunter2") == NULL, "the proxy password leaked: %s",
           capbridge_error_to_string(err));
    CHECK(valid_utf8(capbridge_error_to_string(err)));
  }
  capbridge_solution_free(s);
  capbridge_error_free(err);
  emu_admin(&E, "DELETE", "faults", NULL);
  capbridge_solve_options_free(so);
  capbridge_task_free(t);
  capbridge_client_free(c);
}

/* ---- threads ---------------------------------------------------------------------------- */

#define THREADS 8
#define PER_THREAD 4

typedef struct {
  capbridge_client *client;
  capbridge_task *task;
  int ok;
} blocking_job;

static void *blocking_worker(void *arg) {
  blocking_job *job = arg;
  for (int i = 0; i < PER_THREAD; i++) {
    capbridge_solution *s = NULL;
    capbridge_error *err = NULL;
    capbridge_status st = capbridge_solve(job->client, job->task, NULL, &s, &err);
    if (CHECK_STATUS(st, CAPBRIDGE_OK, err) &&
        CHECK(strlen(capbridge_solution_answer(s)) > 20))
      job->ok++;
    capbridge_solution_free(s);
    capbridge_error_free(err);
  }
  return NULL;
}

/* A client for many solves at once: one key, its (custom provider's) submit pacing lifted. */
static capbridge_client *busy_client(void) {
  char key[33];
  emu_fresh_key(key);
  capbridge_options *o = fast_options(E.url, key);
  capbridge_options_set_int(o, "limits.submit_interval_ms", 0);
  capbridge_options_set_int(o, "limits.submits_per_window", 50);
  return client_from(o);
}

static void test_blocking_from_8_threads(void) {
  capbridge_client *c = busy_client();
  capbridge_task *t = v2_task(V2_KEY); /* one task, one client, shared by every thread */
  pthread_t th[THREADS];
  blocking_job jobs[THREADS];
  double start = now_ms();
  for (int i = 0; i < THREADS; i++) {
    jobs[i] = (blocking_job){c, t, 0};
    pthread_create(&th[i], NULL, blocking_worker, &jobs[i]);
  }
  int ok = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(th[i], NULL);
    ok += jobs[i].ok;
  }
  CHECKF(ok == THREADS * PER_THREAD, "%d of %d solves succeeded", ok, THREADS * PER_THREAD);
  printf("    %d blocking solves from %d threads in %.0f ms\n", ok, THREADS, now_ms() - start);
  capbridge_task_free(t);
  capbridge_client_free(c);
}

typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int done, ok, blocking_refused, on_other_thread;
  pthread_t starter[THREADS];
} async_state;

typedef struct {
  async_state *state;
  capbridge_client *client;
  int thread;
} async_ctx;

static void on_solved(void *user_data, const capbridge_solution *solution, const capbridge_error *error) {
  async_ctx *ctx = user_data;
  async_state *st = ctx->state;
  /* A blocking call from the callback's thread is refused, not a deadlock. */
  char *balance = NULL;
  capbridge_error *err = NULL;
  capbridge_status refused = capbridge_balance(ctx->client, &balance, &err);
  /* ... with words for a C caller: the callback, not an async runtime. */
  if (refused == CAPBRIDGE_ERR_USAGE && !strstr(capbridge_error_message(err), "inside a callback capbridge runs"))
    refused = CAPBRIDGE_OK;
  capbridge_error_free(err);
  capbridge_string_free(balance);
  pthread_mutex_lock(&st->lock);
  if (solution && !error && strlen(capbridge_solution_answer(solution)) > 20) st->ok++;
  if (error) fprintf(stderr, "    async solve failed: %s\n", capbridge_error_to_string(error));
  if (refused == CAPBRIDGE_ERR_USAGE) st->blocking_refused++;
  if (!pthread_equal(pthread_self(), st->starter[ctx->thread])) st->on_other_thread++;
  st->done++;
  pthread_cond_broadcast(&st->cond);
  pthread_mutex_unlock(&st->lock);
}

typedef struct {
  async_state *state;
  capbridge_client *client;
  capbridge_task *task;
  int thread;
  async_ctx ctx[PER_THREAD];
} async_job;

static void *async_worker(void *arg) {
  async_job *job = arg;
  job->state->starter[job->thread] = pthread_self();
  for (int i = 0; i < PER_THREAD; i++) {
    capbridge_error *err = NULL;
    job->ctx[i] = (async_ctx){job->state, job->client, job->thread};
    capbridge_solve_handle *h = capbridge_solve_async(job->client, job->task, NULL, on_solved, &job->ctx[i], &err);
    CHECKF(h != NULL, "solve_async: %s", capbridge_error_to_string(err));
    capbridge_error_free(err);
    capbridge_solve_handle_free(h); /* the solve goes on */
  }
  return NULL;
}

static int wait_done(async_state *st, int n, int timeout_ms) {
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += timeout_ms / 1000;
  pthread_mutex_lock(&st->lock);
  while (st->done < n) {
    if (pthread_cond_timedwait(&st->cond, &st->lock, &deadline) != 0) break;
  }
  int done = st->done;
  pthread_mutex_unlock(&st->lock);
  return done;
}

static void test_callbacks_from_8_threads(void) {
  capbridge_client *c = busy_client();
  capbridge_task *t = v2_task(V2_KEY);
  async_state st;
  memset(&st, 0, sizeof st);
  pthread_mutex_init(&st.lock, NULL);
  pthread_cond_init(&st.cond, NULL);
  pthread_t th[THREADS];
  static async_job jobs[THREADS];
  double start = now_ms();
  for (int i = 0; i < THREADS; i++) {
    jobs[i].state = &st;
    jobs[i].client = c;
    jobs[i].task = t;
    jobs[i].thread = i;
    pthread_create(&th[i], NULL, async_worker, &jobs[i]);
  }
  for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
  capbridge_task_free(t); /* each solve copied it */
  int n = THREADS * PER_THREAD;
  int done = wait_done(&st, n, HANG_MS);
  CHECKF(done == n, "%d of %d callbacks ran", done, n);
  CHECKF(st.ok == n, "%d of %d solves succeeded", st.ok, n);
  CHECKF(st.blocking_refused == n, "blocking calls refused in %d of %d callbacks", st.blocking_refused, n);
  CHECKF(st.on_other_thread == n, "%d of %d callbacks ran on a library thread", st.on_other_thread, n);
  printf("    %d callback solves from %d threads in %.0f ms\n", st.ok, THREADS, now_ms() - start);
  capbridge_client_free(c);
  pthread_mutex_destroy(&st.lock);
  pthread_cond_destroy(&st.cond);
}

/* ---- cancellation ----------------------------------------------------------------------- */

typedef struct {
  capbridge_client *client;
  capbridge_task *task;
  capbridge_solve_options *options;
  capbridge_status status;
  char task_id[64];
  double ms;
} cancel_job;

static void *cancel_worker(void *arg) {
  cancel_job *job = arg;
  capbridge_solution *s = NULL;
  capbridge_error *err = NULL;
  double start = now_ms();
  job->status = capbridge_solve(job->client, job->task, job->options, &s, &err);
  job->ms = now_ms() - start;
  if (capbridge_error_task_id(err)) snprintf(job->task_id, sizeof job->task_id, "%s", capbridge_error_task_id(err));
  capbridge_solution_free(s);
  capbridge_error_free(err);
  return NULL;
}

typedef struct {
  async_state state;
  capbridge_status status;
  char task_id[64];
} one_async;

static void on_one(void *user_data, const capbridge_solution *solution, const capbridge_error *error) {
  one_async *o = user_data;
  (void)solution;
  pthread_mutex_lock(&o->state.lock);
  o->status = capbridge_error_kind(error);
  if (capbridge_error_task_id(error)) snprintf(o->task_id, sizeof o->task_id, "%s", capbridge_error_task_id(error));
  o->state.done++;
  pthread_cond_broadcast(&o->state.cond);
  pthread_mutex_unlock(&o->state.lock);
}

/* Set by an event callback once the service has the task (so a cancel happens after it),
 * with the task's id. */
typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int submitted;
  char task_id[64];
} submitted_flag;

static void on_submitted(void *user_data, const capbridge_event *e) {
  submitted_flag *f = user_data;
  if (strcmp(capbridge_event_step(e), "submitted") != 0) return;
  pthread_mutex_lock(&f->lock);
  f->submitted = 1;
  snprintf(f->task_id, sizeof f->task_id, "%s", capbridge_event_task_id(e) ? capbridge_event_task_id(e) : "");
  pthread_cond_broadcast(&f->cond);
  pthread_mutex_unlock(&f->lock);
}

static int wait_submitted(submitted_flag *f) {
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += HANG_MS / 1000;
  pthread_mutex_lock(&f->lock);
  while (!f->submitted && pthread_cond_timedwait(&f->cond, &f->lock, &deadline) == 0) {
  }
  int done = f->submitted;
  f->submitted = 0;
  pthread_mutex_unlock(&f->lock);
  return done;
}

/* Proof from the emulator that a cancelled solve stopped polling: its task had been polled,
 * and over the next 15 poll intervals (20 ms each; nothing else polls while this test runs)
 * at most the one poll that may have been on the wire lands. Waiting can only give a poll
 * the engine should not send the time to show up, never hide one. Called once the cancelled
 * call has returned (blocking) or called back (async). */
static void check_polling_stopped(const char *task_id) {
  long long polls = emu_task_number(&E, task_id, "polls");
  long long res = emu_counter(&E, "res_requests");
  CHECKF(polls > 0, "task %s had been polled before the cancel (%lld polls)", task_id, polls);
  CHECKF(res > 0, "the emulator's counters: res_requests %lld", res);
  sleep_ms(300);
  long long polls_later = emu_task_number(&E, task_id, "polls");
  long long res_later = emu_counter(&E, "res_requests");
  CHECKF(polls_later <= polls + 1, "task %s polled after the cancel: %lld polls, then %lld", task_id, polls,
         polls_later);
  CHECKF(res_later <= res + 1, "res.php requests after the cancel: %lld, then %lld", res, res_later);
}

static void test_cancel(void) {
  submitted_flag flag = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, {0}};
  capbridge_client *c = form_client(NULL);
  emu_admin(&E, "POST", "rules", "{\"when\": {\"sitekey\": \"slow-cancel\"}, \"delay_ms\": " HELD_MS "}");
  capbridge_task *t = v2_task("slow-cancel");

  /* A blocking solve, cancelled from another thread through a token. */
  capbridge_cancel_token *token = capbridge_cancel_token_new();
  capbridge_solve_options *so = capbridge_solve_options_new();
  capbridge_solve_options_set_cancel_token(so, token);
  capbridge_solve_options_set_event_callback(so, on_submitted, &flag);
  cancel_job job = {c, t, so, CAPBRIDGE_OK, "", 0};
  pthread_t th;
  pthread_create(&th, NULL, cancel_worker, &job);
  CHECK(wait_submitted(&flag));
  CHECKF(wait_polled(flag.task_id), "task %s never polled", flag.task_id);
  CHECK(capbridge_cancel(token) == CAPBRIDGE_OK);
  pthread_join(th, NULL);
  /* Returned, though its task is pending for an hour: the cancel ended it. */
  CHECK_STATUS(job.status, CAPBRIDGE_ERR_CANCELLED, NULL);
  CHECKF(job.task_id[0] != '\0', "the cancelled solve had been submitted and keeps its task id");
  if (job.task_id[0]) check_polling_stopped(job.task_id);
  capbridge_cancel_token_free(token);
  capbridge_solve_options_free(so);

  /* An asynchronous solve, cancelled through its handle; another through a token. */
  for (int how = 0; how < 2; how++) {
    one_async o;
    memset(&o, 0, sizeof o);
    pthread_mutex_init(&o.state.lock, NULL);
    pthread_cond_init(&o.state.cond, NULL);
    token = capbridge_cancel_token_new();
    so = capbridge_solve_options_new();
    capbridge_solve_options_set_cancel_token(so, token);
    capbridge_solve_options_set_event_callback(so, on_submitted, &flag);
    if (how == 0) capbridge_solve_options_set_cancel_token(so, NULL); /* the handle alone */
    capbridge_error *err = NULL;
    capbridge_solve_handle *h = capbridge_solve_async(c, t, so, on_one, &o, &err);
    CHECK_STATUS(h ? CAPBRIDGE_OK : capbridge_error_kind(err), CAPBRIDGE_OK, err);
    capbridge_error_free(err);
    CHECK(wait_submitted(&flag));
    CHECKF(wait_polled(flag.task_id), "task %s never polled", flag.task_id);
    CHECK(!capbridge_solve_handle_done(h)); /* pending for an hour */
    if (how == 0)
      CHECK(capbridge_solve_handle_cancel(h) == CAPBRIDGE_OK);
    else
      CHECK(capbridge_cancel(token) == CAPBRIDGE_OK);
    CHECK(wait_done(&o.state, 1, HANG_MS) == 1);
    CHECK_STATUS(o.status, CAPBRIDGE_ERR_CANCELLED, NULL);
    CHECK(o.task_id[0] != '\0');
    if (o.task_id[0]) check_polling_stopped(o.task_id);
    for (int i = 0; i < HANG_MS / 10 && !capbridge_solve_handle_done(h); i++) sleep_ms(10);
    CHECK(capbridge_solve_handle_done(h));
    capbridge_solve_handle_free(h);
    capbridge_solve_options_free(so);
    capbridge_cancel_token_free(token);
    pthread_mutex_destroy(&o.state.lock);
    pthread_cond_destroy(&o.state.cond);
  }
  capbridge_task_free(t);
  capbridge_client_free(c);
}

/* ---- events ----------------------------------------------------------------------------- */

typedef struct {
  pthread_mutex_t lock;
  int submitting, submitted, polled, solved, failed, with_task_id, bad;
  capbridge_status failed_kind;
  pthread_t caller; /* the thread that calls capbridge_solve: no event may run on it */
  int on_caller;
} event_counts;

static void on_event(void *user_data, const capbridge_event *e) {
  event_counts *n = user_data;
  const char *step = capbridge_event_step(e);
  pthread_mutex_lock(&n->lock);
  if (strcmp(step, "submitting") == 0) n->submitting += capbridge_event_attempt(e) == 1;
  if (strcmp(step, "submitted") == 0) n->submitted++;
  if (strcmp(step, "polled") == 0) n->polled++;
  if (strcmp(step, "solved") == 0) n->solved++;
  if (strcmp(step, "failed") == 0) {
    n->failed++;
    n->failed_kind = capbridge_event_error_kind(e);
    if (!capbridge_event_message(e)) n->bad++;
  }
  if (capbridge_event_task_id(e)) n->with_task_id++;
  if (pthread_equal(pthread_self(), n->caller)) n->on_caller++;
  if (!capbridge_event_to_string(e) || !capbridge_event_provider(e) || !capbridge_event_task_kind(e) ||
      strcmp(capbridge_event_task_kind(e), "RecaptchaV2") != 0)
    n->bad++;
  pthread_mutex_unlock(&n->lock);
}

static void test_events(void) {
  char key[33];
  event_counts all, mine;
  memset(&all, 0, sizeof all);
  memset(&mine, 0, sizeof mine);
  pthread_mutex_init(&all.lock, NULL);
  pthread_mutex_init(&mine.lock, NULL);
  all.caller = mine.caller = pthread_self();
  emu_admin(&E, "POST", "rules",
            "{\"when\": {\"sitekey\": \"unsolvable\"}, \"result_error\": \"ERROR_CAPTCHA_UNSOLVABLE\"}");
  emu_fresh_key(key);
  capbridge_options *o = fast_options(E.url, key);
  CHECK(capbridge_options_set_event_callback(o, on_event, &all) == CAPBRIDGE_OK);
  capbridge_client *c = client_from(o);
  capbridge_solve_options *so = capbridge_solve_options_new();
  CHECK(capbridge_solve_options_set_event_callback(so, on_event, &mine) == CAPBRIDGE_OK);
  capbridge_task *t = v2_task(V2_KEY);
  capbridge_solution *s = NULL;
  CHECK_STATUS(capbridge_solve(c, t, so, &s, NULL), CAPBRIDGE_OK, NULL);
  capbridge_solution_free(s);
  s = NULL;
  CHECK_STATUS(capbridge_solve(c, t, NULL, &s, NULL), CAPBRIDGE_OK, NULL);
  capbridge_solution_free(s);
  capbridge_task_free(t);
  t = v2_task("unsolvable");
  s = NULL;
  CHECK_STATUS(capbridge_solve(c, t, so, &s, NULL), CAPBRIDGE_ERR_UNSOLVABLE, NULL);
  capbridge_task_free(t);
  capbridge_client_free(c);
  capbridge_solve_options_free(so);

  CHECKF(all.submitting == 3 && all.submitted == 3 && all.solved == 2 && all.failed == 1,
         "client events: %d submitting, %d submitted, %d solved, %d failed", all.submitting, all.submitted,
         all.solved, all.failed);
  CHECKF(mine.submitting == 2 && mine.submitted == 2 && mine.solved == 1 && mine.failed == 1,
         "solve events: %d submitting, %d submitted, %d solved, %d failed", mine.submitting, mine.submitted,
         mine.solved, mine.failed);
  CHECKF(all.polled >= 2 && all.with_task_id >= 6, "%d polled, %d with a task id", all.polled, all.with_task_id);
  CHECKF(all.bad == 0 && mine.bad == 0, "%d + %d events without their fields", all.bad, mine.bad);
  CHECK(all.failed_kind == CAPBRIDGE_ERR_UNSOLVABLE);
  /* The header's promise: callbacks run on a library thread, even for a blocking solve (a
     caller holding a lock around capbridge_solve that its callback takes must not deadlock). */
  CHECKF(all.on_caller == 0 && mine.on_caller == 0, "%d + %d events ran on the thread of capbridge_solve",
         all.on_caller, mine.on_caller);
  pthread_mutex_destroy(&all.lock);
  pthread_mutex_destroy(&mine.lock);
}

/* ---- each step's own details: retrying, switched_provider, polled ----------------------- */

typedef struct {
  pthread_mutex_t lock;
  int retrying, switched, polled, ready, bad;
  long long delay_ms;
  char stage[16], to[32];
  capbridge_status retry_kind, switch_kind;
} step_details;

static void on_step_details(void *user_data, const capbridge_event *e) {
  step_details *n = user_data;
  const char *step = capbridge_event_step(e);
  int retrying = strcmp(step, "retrying") == 0, switched = strcmp(step, "switched_provider") == 0;
  int polled = strcmp(step, "polled") == 0;
  pthread_mutex_lock(&n->lock);
  if (retrying && n->retrying++ == 0) {
    snprintf(n->stage, sizeof n->stage, "%s", capbridge_event_stage(e) ? capbridge_event_stage(e) : "(null)");
    n->delay_ms = capbridge_event_delay_ms(e);
    n->retry_kind = capbridge_event_error_kind(e);
  }
  if (switched && n->switched++ == 0) {
    snprintf(n->to, sizeof n->to, "%s", capbridge_event_to(e) ? capbridge_event_to(e) : "(null)");
    n->switch_kind = capbridge_event_error_kind(e);
  }
  if (polled) {
    n->polled++;
    n->ready += capbridge_event_ready(e) == 1;
    if (capbridge_event_ready(e) < 0 || capbridge_event_batch(e) < 0) n->bad++;
  }
  /* Each detail is there for its own step and absent from the others. */
  if (!polled && (capbridge_event_ready(e) != -1 || capbridge_event_batch(e) != -1)) n->bad++;
  if (!retrying && (capbridge_event_stage(e) || capbridge_event_delay_ms(e) != -1)) n->bad++;
  if (!switched && capbridge_event_to(e)) n->bad++;
  pthread_mutex_unlock(&n->lock);
}

static void test_event_details(void) {
  char bad[33], good[33], body[160];
  emu_fresh_key(bad);
  emu_fresh_key(good);
  step_details n;
  memset(&n, 0, sizeof n);
  pthread_mutex_init(&n.lock, NULL);
  capbridge_solve_options *so = capbridge_solve_options_new();
  CHECK(capbridge_solve_options_set_event_callback(so, on_step_details, &n) == CAPBRIDGE_OK);
  capbridge_task *t = v2_task(V2_KEY);
  capbridge_solution *s = NULL;

  /* A submit refused with an HTML 502 page is retried, then polled until ready. */
  capbridge_client *c = client_from(fast_options(E.url, good));
  emu_admin(&E, "POST", "faults", "{\"fault\": \"html502\", \"endpoint\": \"in\", \"count\": 1}");
  CHECK_STATUS(capbridge_solve(c, t, so, &s, NULL), CAPBRIDGE_OK, NULL);
  emu_admin(&E, "DELETE", "faults", NULL);
  capbridge_solution_free(s);
  capbridge_client_free(c);

  /* The first provider's key has no money: the solve moves to the second provider. */
  snprintf(body, sizeof body, "{\"key\": \"%s\", \"balance\": 0}", bad);
  emu_admin(&E, "POST", "accounts", body);
  capbridge_options *o = fast_options(E.url, bad);
  CHECK(capbridge_options_add_provider(o, E.url, good, NULL, NULL) == CAPBRIDGE_OK);
  c = client_from(o);
  s = NULL;
  CHECK_STATUS(capbridge_solve(c, t, so, &s, NULL), CAPBRIDGE_OK, NULL);
  capbridge_solution_free(s);
  capbridge_client_free(c);
  capbridge_task_free(t);
  capbridge_solve_options_free(so);

  CHECKF(n.retrying >= 1 && strcmp(n.stage, "submit") == 0 && n.delay_ms >= 0 &&
             n.retry_kind == CAPBRIDGE_ERR_SERVICE,
         "retrying: %d events, stage %s, delay %lld ms, kind %s", n.retrying, n.stage, n.delay_ms,
         capbridge_status_name(n.retry_kind));
  CHECKF(n.switched == 1 && strcmp(n.to, "custom") == 0 && n.switch_kind == CAPBRIDGE_ERR_BALANCE,
         "switched_provider: %d events, to %s, kind %s", n.switched, n.to, capbridge_status_name(n.switch_kind));
  CHECKF(n.polled >= 2 && n.ready == 2, "%d polls, %d ready", n.polled, n.ready);
  CHECKF(n.bad == 0, "%d events with details of another step", n.bad);
  CHECK(capbridge_event_ready(NULL) == -1 && capbridge_event_batch(NULL) == -1);
  CHECK(capbridge_event_stage(NULL) == NULL && capbridge_event_delay_ms(NULL) == -1);
  CHECK(capbridge_event_to(NULL) == NULL);
  pthread_mutex_destroy(&n.lock);
}

/* ---- the options of issue 23: a pushed answer, learned waits off, a cluster's nodes ------- */

typedef struct {
  pthread_mutex_t lock;
  int polled, pushed, ready, other;
  char first_waits[16][12]; /* each polled event's first wait, in order */
} push_events;

static void on_push_event(void *user_data, const capbridge_event *e) {
  push_events *n = user_data;
  pthread_mutex_lock(&n->lock);
  if (strcmp(capbridge_event_step(e), "polled") == 0) {
    const char *w = capbridge_event_first_wait(e);
    if (n->polled < 16) snprintf(n->first_waits[n->polled], sizeof n->first_waits[0], "%s", w ? w : "(null)");
    n->polled++;
    n->pushed += capbridge_event_pushed(e) == 1;
    n->ready += capbridge_event_ready(e) == 1;
  } else if (capbridge_event_pushed(e) != -1 || capbridge_event_first_wait(e) != NULL) {
    n->other++; /* details of another step */
  }
  pthread_mutex_unlock(&n->lock);
}

/* 11 solves through the 2captcha preset with callback_listen on 127.0.0.1:0, one after
 * another; each one's events and answer, and the emulator's polls before and after. */
static void pushed_solves(const char *key, int adaptive, push_events *n, long long *polls) {
  memset(n, 0, sizeof *n);
  pthread_mutex_init(&n->lock, NULL);
  capbridge_solve_options *so = capbridge_solve_options_new();
  CHECK(capbridge_solve_options_set_event_callback(so, on_push_event, n) == CAPBRIDGE_OK);
  capbridge_task *t = v2_task(V2_KEY);
  capbridge_options *o = capbridge_options_new();
  capbridge_options_set_string(o, "provider", "2captcha");
  capbridge_options_set_string(o, "base_url", E.url);
  capbridge_options_set_string(o, "api_key", key);
  capbridge_options_set_int(o, "timeout_ms", 60000);
  CHECK(capbridge_options_set_string(o, "callback_listen", "127.0.0.1:0") == CAPBRIDGE_OK);
  if (adaptive >= 0) CHECK(capbridge_options_set_bool(o, "adaptive_waits", adaptive) == CAPBRIDGE_OK);
  capbridge_client *c = client_from(o);
  long long before = emu_counter(&E, "res_requests");
  for (int i = 0; c && i < 11; i++) {
    capbridge_solution *s = NULL;
    CHECK_STATUS(capbridge_solve(c, t, so, &s, NULL), CAPBRIDGE_OK, NULL);
    if (s) {
      char *info = emu_task(&E, capbridge_solution_task_id(s));
      char *answer = emu_json_string(info, "answer");
      CHECK_STR(capbridge_solution_answer(s), answer);
      free(answer);
      free(info);
    }
    capbridge_solution_free(s);
  }
  long long after = emu_counter(&E, "res_requests");
  *polls = before >= 0 && after >= 0 ? after - before : -1;
  capbridge_client_free(c);
  capbridge_task_free(t);
  capbridge_solve_options_free(so);
  pthread_mutex_destroy(&n->lock);
}

/* callback_listen: each answer pushed to the client's own receiver, one "polled" event that
 * says pushed, no poll reaching the emulator; learned waits (on by default) count each push,
 * so the 11th solve's first wait is learned; with adaptive_waits false it stays documented.
 * shared_limits as a JSON list of a cluster's nodes and callback_url: accepted by name. */
static void test_pushed_answers_and_new_options(void) {
  char key[33];
  push_events n;
  long long polls = -1;
  emu_fresh_key(key);
  pushed_solves(key, -1, &n, &polls);
  CHECKF(n.polled == 11 && n.pushed == 11 && n.ready == 11 && n.other == 0,
         "%d polled events, %d pushed, %d ready, %d of other steps", n.polled, n.pushed, n.ready, n.other);
  CHECKF(polls == 0, "%lld polls reached the emulator", polls);
  for (int i = 0; i < 11 && i < n.polled; i++)
    CHECKF(strcmp(n.first_waits[i], i < 10 ? "documented" : "learned") == 0, "solve %d: first wait %s", i + 1,
           n.first_waits[i]);

  emu_fresh_key(key);
  pushed_solves(key, 0, &n, &polls);
  CHECKF(n.polled == 11 && n.pushed == 11 && polls == 0, "%d polled events, %d pushed, %lld polls", n.polled,
         n.pushed, polls);
  for (int i = 0; i < 11 && i < n.polled; i++)
    CHECKF(strcmp(n.first_waits[i], "documented") == 0, "adaptive_waits off, solve %d: first wait %s", i + 1,
           n.first_waits[i]);
  CHECK(capbridge_event_pushed(NULL) == -1 && capbridge_event_first_wait(NULL) == NULL);

  /* A cluster's nodes as a list, and a public URL for the receiver (no connection made). */
  capbridge_options *o = capbridge_options_new();
  capbridge_options_set_string(o, "provider", "2captcha");
  capbridge_options_set_string(o, "api_key", key);
  CHECK(capbridge_options_set_json(o, "shared_limits",
                                   "[\"redis://127.0.0.1:7000/\", \"redis://127.0.0.1:7001/\"]") == CAPBRIDGE_OK);
  CHECK(capbridge_options_set_string(o, "callback_url", "https://cb.example.com/capbridge/") == CAPBRIDGE_OK);
  capbridge_client *c = client_from(o);
  CHECK(c != NULL);
  capbridge_client_free(c);
}

/* ---- shared limits: the fallback event ------------------------------------------------- */

typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int events, shared, without_solve, other_shared;
  char message[512];
} shared_events;

static void on_shared_event(void *user_data, const capbridge_event *e) {
  shared_events *n = user_data;
  pthread_mutex_lock(&n->lock);
  if (strcmp(capbridge_event_step(e), "shared_limits") == 0) {
    n->events++;
    n->shared = capbridge_event_shared(e);
    n->without_solve += capbridge_event_solve_id(e) == 0 && !capbridge_event_task_kind(e) && !capbridge_event_task_id(e);
    snprintf(n->message, sizeof n->message, "%s", capbridge_event_message(e) ? capbridge_event_message(e) : "");
    pthread_cond_broadcast(&n->cond);
  } else if (capbridge_event_shared(e) != -1) {
    n->other_shared++;
  }
  pthread_mutex_unlock(&n->lock);
}

/* With `shared_limits` pointing at a Redis that does not answer (a free local port), the
 * solve still succeeds (the process keeps the limits alone) and the client-wide callback gets
 * a "shared_limits" event saying so: shared 0, with a message. */
static void test_shared_limits_fallback_event(void) {
  shared_events n;
  memset(&n, 0, sizeof n);
  pthread_mutex_init(&n.lock, NULL);
  pthread_cond_init(&n.cond, NULL);
  int port = emu_free_port();
  CHECK(port > 0);
  char url[64], key[33];
  snprintf(url, sizeof url, "redis://127.0.0.1:%d/0", port);
  emu_fresh_key(key); /* a fresh key: its own link to Redis, so its own first event */
  capbridge_options *o = fast_options(E.url, key);
  CHECK(capbridge_options_set_string(o, "shared_limits", url) == CAPBRIDGE_OK);
  CHECK(capbridge_options_set_event_callback(o, on_shared_event, &n) == CAPBRIDGE_OK);
  capbridge_client *c = client_from(o);
  capbridge_task *t = v2_task(V2_KEY);
  capbridge_solution *s = NULL;
  capbridge_error *err = NULL;
  CHECK_STATUS(capbridge_solve(c, t, NULL, &s, &err), CAPBRIDGE_OK, err);
  CHECK(s != NULL && strlen(capbridge_solution_answer(s)) > 20);
  capbridge_solution_free(s);
  capbridge_error_free(err);
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += HANG_MS / 1000;
  pthread_mutex_lock(&n.lock);
  while (n.events == 0 && pthread_cond_timedwait(&n.cond, &n.lock, &deadline) == 0) {
  }
  pthread_mutex_unlock(&n.lock);
  capbridge_task_free(t);
  capbridge_client_free(c);
  pthread_mutex_lock(&n.lock);
  CHECKF(n.events == 1, "%d shared_limits events", n.events);
  CHECKF(n.shared == 0, "capbridge_event_shared() gave %d, expected 0 (kept in process)", n.shared);
  CHECKF(n.without_solve == n.events, "a shared_limits event belongs to no solve");
  CHECKF(strstr(n.message, "does not answer") && strstr(n.message, url + strlen("redis://")),
         "the message: \"%s\"", n.message);
  CHECKF(n.other_shared == 0, "%d other events with a shared flag", n.other_shared);
  pthread_mutex_unlock(&n.lock);
  pthread_mutex_destroy(&n.lock);
  pthread_cond_destroy(&n.cond);
  /* Accessors on NULL. */
  CHECK(capbridge_event_shared(NULL) == -1);
}

/* ---- ownership of copies ---------------------------------------------------------------- */

typedef struct {
  async_state state;
  capbridge_solution *kept;
  capbridge_error *kept_error;
} keep_async;

static void on_keep(void *user_data, const capbridge_solution *solution, const capbridge_error *error) {
  keep_async *k = user_data;
  pthread_mutex_lock(&k->state.lock);
  k->kept = capbridge_solution_clone(solution);
  k->kept_error = capbridge_error_clone(error);
  k->state.done++;
  pthread_cond_broadcast(&k->state.cond);
  pthread_mutex_unlock(&k->state.lock);
}

static void test_copies_outlive_their_originals(void) {
  capbridge_client *c = form_client(NULL);
  keep_async k;
  memset(&k, 0, sizeof k);
  pthread_mutex_init(&k.state.lock, NULL);
  pthread_cond_init(&k.state.cond, NULL);
  capbridge_task *t = capbridge_task_new("HCaptcha", NULL);
  capbridge_task_set_string(t, "website_url", PAGE);
  capbridge_task_set_string(t, "website_key", H_KEY);
  capbridge_solve_handle *h = capbridge_solve_async(c, t, NULL, on_keep, &k, NULL);
  capbridge_task_free(t);    /* the solve has its own copy */
  capbridge_client_free(c);  /* and keeps working without the handle */
  CHECK(h != NULL);
  CHECK(wait_done(&k.state, 1, HANG_MS) == 1);
  CHECK(k.kept != NULL && k.kept_error == NULL);
  if (k.kept) {
    check_solution(k.kept, "HCaptcha");
    capbridge_solution *again = capbridge_solution_clone(k.kept);
    capbridge_solution_free(k.kept);
    CHECK(strlen(capbridge_solution_answer(again)) > 20 && capbridge_solution_user_agent(again));
    capbridge_solution_free(again);
  }
  capbridge_solve_handle_free(h);
  capbridge_error *err = NULL;
  CHECK(capbridge_task_new("nope", &err) == NULL);
  capbridge_error *copy = capbridge_error_clone(err);
  capbridge_error_free(err);
  CHECK_STR(capbridge_error_field(copy), "type");
  capbridge_error_free(copy);
  pthread_mutex_destroy(&k.state.lock);
  pthread_cond_destroy(&k.state.cond);
}

/* ---- fork ------------------------------------------------------------------------------- */

static int child_solves(capbridge_client *c, capbridge_task *t) {
  capbridge_solution *s = NULL;
  capbridge_error *err = NULL;
  int ok = capbridge_solve(c, t, NULL, &s, &err) == CAPBRIDGE_OK && strlen(capbridge_solution_answer(s)) > 20;
  if (!ok) fprintf(stderr, "    child: %s\n", capbridge_error_to_string(err));
  capbridge_solution_free(s);
  capbridge_error_free(err);
  /* A callback solve in the child too. */
  one_async o;
  memset(&o, 0, sizeof o);
  pthread_mutex_init(&o.state.lock, NULL);
  pthread_cond_init(&o.state.cond, NULL);
  o.status = CAPBRIDGE_ERR_SERVICE;
  capbridge_solve_handle *h = capbridge_solve_async(c, t, NULL, on_one, &o, NULL);
  ok = ok && h && wait_done(&o.state, 1, HANG_MS) == 1 && o.status == CAPBRIDGE_OK;
  capbridge_solve_handle_free(h);
  return ok;
}

static void test_fork(void) {
  capbridge_client *c = form_client(NULL);
  capbridge_task *t = v2_task(V2_KEY);
  capbridge_solution *s = NULL;
  CHECK_STATUS(capbridge_solve(c, t, NULL, &s, NULL), CAPBRIDGE_OK, NULL);
  capbridge_solution_free(s);
  int fds[2];
  CHECK(pipe(fds) == 0);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    char verdict = child_solves(c, t) ? 'y' : 'n';
    capbridge_task_free(t);
    capbridge_client_free(c);
    if (write(fds[1], &verdict, 1) != 1) _exit(3);
    /* _exit: the child must not run the parent's exit handlers. Its verdict travels through
     * the pipe, not the exit status, which valgrind sets when it finds the parent's memory
     * the child inherited (the parent's runtime and its threads' data, which the core leaks
     * on purpose in a child) unreachable. */
    _exit(0);
  }
  close(fds[1]);
  char verdict = 0;
  CHECK(pid > 0 && read(fds[0], &verdict, 1) == 1);
  close(fds[0]);
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid);
  CHECKF(verdict == 'y', "the forked child's solves failed");
  CHECKF(WIFEXITED(status), "the forked child crashed (status %d)", status);
  /* The parent's client is unaffected. */
  s = NULL;
  CHECK_STATUS(capbridge_solve(c, t, NULL, &s, NULL), CAPBRIDGE_OK, NULL);
  capbridge_solution_free(s);
  capbridge_task_free(t);
  capbridge_client_free(c);
}

/* ---- main ------------------------------------------------------------------------------- */

typedef struct {
  const char *name;
  void (*run)(void);
} test_case;

static const test_case TESTS[] = {
    {"status_names_match_the_kinds", test_status_names_match_the_kinds},
    {"every_kind_blocking", test_every_kind_blocking},
    {"every_offered_pair", test_every_offered_pair},
    {"kinds_vectors", test_kinds_vectors},
    {"kinds_vectors_solutions", test_kinds_vectors_solutions},
    {"every_field_reaches_the_wire", test_every_field_reaches_the_wire},
    {"json_preset_capsolver", test_json_preset_capsolver},
    {"submit_result_wait_report_balance", test_submit_result_wait_report_balance},
    {"every_error_kind", test_every_error_kind},
    {"null_and_garbage_arguments", test_null_and_garbage_arguments},
    {"hostile_replies", test_hostile_replies},
    {"blocking_from_8_threads", test_blocking_from_8_threads},
    {"callbacks_from_8_threads", test_callbacks_from_8_threads},
    {"cancel", test_cancel},
    {"events", test_events},
    {"event_details", test_event_details},
    {"shared_limits_fallback_event", test_shared_limits_fallback_event},
    {"pushed_answers_and_new_options", test_pushed_answers_and_new_options},
    {"copies_outlive_their_originals", test_copies_outlive_their_originals},
    {"fork", test_fork},
};

int main(int argc, char **argv) {
  const char *filter = argc > 1 ? argv[1] : NULL;
  const char *binary = getenv("CAPBRIDGE_EMULATOR");
  int passed = 0, failed = 0;
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (getenv("CAPBRIDGE_VECTORS")) vectors_dir = getenv("CAPBRIDGE_VECTORS");
  if (!binary) {
    fprintf(stderr, "set CAPBRIDGE_EMULATOR to the capbridge-emulator binary\n");
    return 2;
  }
  const char *args[] = {"--delay-ms", "20", NULL};
  if (emu_start(&E, binary, args) != 0) {
    fprintf(stderr, "cannot start the emulator %s\n", binary);
    return 2;
  }
  for (size_t i = 0; i < sizeof TESTS / sizeof TESTS[0]; i++) {
    if (filter && !strstr(TESTS[i].name, filter)) continue;
    double start = now_ms();
    failures_in_test = 0;
    TESTS[i].run();
    if (failures_in_test == 0) {
      passed++;
      printf("ok   %s (%.0f ms)\n", TESTS[i].name, now_ms() - start);
    } else {
      failed++;
      printf("FAIL %s (%d checks failed)\n", TESTS[i].name, failures_in_test);
    }
  }
  emu_stop(&E);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
