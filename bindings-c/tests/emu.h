/* Test support: the emulator process, its admin API over plain HTTP, and the little JSON
 * reading the tests need. No dependency beyond POSIX. */
#ifndef CAPBRIDGE_TEST_EMU_H
#define CAPBRIDGE_TEST_EMU_H

#include <stddef.h>
#include <sys/types.h>

typedef struct emu {
  pid_t pid;
  int out_fd;     /* the emulator's stdout, kept open */
  char url[128];  /* "http://127.0.0.1:PORT/" */
  int port;
} emu;

/* Starts `binary --port 0 args...` (args NULL-terminated); 0 on success. */
int emu_start(emu *e, const char *binary, const char *const *args);
/* Stops it (SIGTERM, then waits). */
void emu_stop(emu *e);

/* One HTTP request to the emulator: returns the body (malloc'd, NUL-terminated; free() it)
 * and stores the status; NULL on a transport failure. `path` starts without a slash. */
char *emu_http(const emu *e, const char *method, const char *path, const char *body, int *status);
/* An admin call ("POST", "rules", "{...}"): 0 when the status is 200. */
int emu_admin(const emu *e, const char *method, const char *path, const char *body);
/* GET emulator/tasks/ID: the JSON (free() it), or NULL. */
char *emu_task(const emu *e, const char *task_id);

/* The flat object of strings at "key" in `json` ("params"): up to `max` pairs, names and
 * values malloc'd (free with emu_free_pairs). Returns the count, or -1. */
int emu_json_pairs(const char *json, const char *key, char **names, char **values, int max);
void emu_free_pairs(char **names, char **values, int n);
/* The string value of the first "key": "..." in `json` (malloc'd), or NULL. */
char *emu_json_string(const char *json, const char *key);

/* The whole-number value of the first "key": N in `json`, or -1 when absent. */
long long emu_json_number(const char *json, const char *key);
/* GET emulator/counters, then its number at "key" ("res_requests"); -1 on failure. */
long long emu_counter(const emu *e, const char *key);
/* The number at "key" ("polls") of GET emulator/tasks/ID; -1 on failure. */
long long emu_task_number(const emu *e, const char *task_id, const char *key);
/* A parsed JSON value: a tree the tests read directly (free with emu_json_free). */
typedef enum {
  EMU_JSON_NULL,
  EMU_JSON_BOOL,
  EMU_JSON_NUMBER,
  EMU_JSON_STRING,
  EMU_JSON_ARRAY,
  EMU_JSON_OBJECT
} emu_json_type;
typedef struct emu_json {
  emu_json_type type;
  int boolean;             /* a bool's value */
  char *text;              /* a string's value (decoded); a number as written */
  size_t n;                /* how many items (array) or members (object) */
  char **keys;             /* an object's member names, in the order written */
  struct emu_json **items; /* the items, or the members' values */
} emu_json;

/* The JSON value `text` holds (nothing but white space after it), or NULL. */
emu_json *emu_json_parse(const char *text);
void emu_json_free(emu_json *v);
/* An object's member `key`, or NULL (also when `v` is NULL or not an object). */
const emu_json *emu_json_get(const emu_json *v, const char *key);
/* The value as compact JSON text, members in their order, numbers as written (malloc'd). */
char *emu_json_text(const emu_json *v);
/* `s` as a JSON string literal, quotes included (malloc'd). */
char *emu_json_quote(const char *s);
/* The values are equal as the shared vectors compare them: numbers by value, an object's
 * members in any order, an array's items in order. */
int emu_json_same(const emu_json *a, const emu_json *b);

/* A local TCP port with nothing listening on it (bound, read, closed); 0 on failure. */
int emu_free_port(void);

/* A fresh 32-character key (each test uses its own account). */
void emu_fresh_key(char out[33]);

/* `len` bytes as base64 text (malloc'd), or NULL. */
char *emu_base64(const unsigned char *bytes, size_t len);

/* The whole file (malloc'd, with a NUL after it) and its size, or NULL. */
unsigned char *read_file(const char *path, size_t *len);

#endif
