/* Test support: see emu.h. */
#define _GNU_SOURCE
#include "emu.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int emu_start(emu *e, const char *binary, const char *const *args) {
  int fds[2];
  const char *argv[32];
  int n = 0;
  memset(e, 0, sizeof *e);
  if (pipe(fds) != 0) return -1;
  argv[n++] = binary;
  argv[n++] = "--port";
  argv[n++] = "0";
  for (; args && *args && n < 30; args++) argv[n++] = *args;
  argv[n] = NULL;
  e->pid = fork();
  if (e->pid < 0) return -1;
  if (e->pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive a test that crashed */
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execv(binary, (char *const *)argv);
    _exit(127);
  }
  close(fds[1]);
  e->out_fd = fds[0];
  /* The first line is the base URL. */
  size_t got = 0;
  while (got + 1 < sizeof e->url) {
    ssize_t r = read(e->out_fd, e->url + got, 1);
    if (r <= 0) return -1;
    if (e->url[got] == '\n') break;
    got++;
  }
  e->url[got] = '\0';
  if (sscanf(e->url, "http://127.0.0.1:%d/", &e->port) != 1) return -1;
  return 0;
}

void emu_stop(emu *e) {
  if (e->pid > 0) {
    kill(e->pid, SIGTERM);
    waitpid(e->pid, NULL, 0);
    e->pid = 0;
  }
  if (e->out_fd > 0) close(e->out_fd);
  e->out_fd = 0;
}

char *emu_http(const emu *e, const char *method, const char *path, const char *body, int *status) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr;
  size_t blen = body ? strlen(body) : 0;
  char *req, *resp = NULL, *start;
  size_t cap = 0, len = 0;
  int n;
  if (fd < 0) return NULL;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)e->port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    return NULL;
  }
  n = asprintf(&req,
               "%s /%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
               "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
               method, path, blen, body ? body : "");
  if (n < 0) {
    close(fd);
    return NULL;
  }
  for (size_t off = 0; off < (size_t)n;) {
    ssize_t w = write(fd, req + off, (size_t)n - off);
    if (w <= 0) break;
    off += (size_t)w;
  }
  free(req);
  for (;;) {
    if (len + 4096 + 1 > cap) {
      cap = cap ? cap * 2 : 8192;
      char *grown = realloc(resp, cap);
      if (!grown) break;
      resp = grown;
    }
    ssize_t r = read(fd, resp + len, cap - len - 1);
    if (r <= 0) break;
    len += (size_t)r;
  }
  close(fd);
  if (!resp) return NULL;
  resp[len] = '\0';
  if (status && sscanf(resp, "HTTP/1.1 %d", status) != 1) *status = 0;
  start = strstr(resp, "\r\n\r\n");
  if (!start) {
    free(resp);
    return NULL;
  }
  start += 4;
  memmove(resp, start, strlen(start) + 1);
  return resp;
}

int emu_admin(const emu *e, const char *method, const char *path, const char *body) {
  char full[256];
  int status = 0;
  snprintf(full, sizeof full, "emulator/%s", path);
  char *reply = emu_http(e, method, full, body, &status);
  if (!reply) return -1;
  if (status != 200) fprintf(stderr, "admin %s %s: HTTP %d %s\n", method, path, status, reply);
  free(reply);
  return status == 200 ? 0 : -1;
}

char *emu_task(const emu *e, const char *task_id) {
  char path[256];
  int status = 0;
  snprintf(path, sizeof path, "emulator/tasks/%s", task_id);
  char *reply = emu_http(e, "GET", path, NULL, &status);
  if (reply && status != 200) {
    free(reply);
    return NULL;
  }
  return reply;
}

/* Appends one UTF-8 encoded code point. */
static size_t put_utf8(char *out, unsigned cp) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Parses the JSON string starting at *p (on the opening quote); advances past it. */
static char *parse_string(const char **p) {
  const char *s = *p;
  if (*s != '"') return NULL;
  s++;
  /* Escaped text is never shorter than what it stands for. */
  size_t extent = 0;
  while (s[extent] && s[extent] != '"') extent += s[extent] == '\\' && s[extent + 1] ? 2 : 1;
  char *out = malloc(extent + 1);
  size_t n = 0;
  if (!out) return NULL;
  while (*s && *s != '"') {
    if (*s != '\\') {
      out[n++] = *s++;
      continue;
    }
    s++;
    if (!*s) break;
    switch (*s) {
      case 'n': out[n++] = '\n'; s++; break;
      case 't': out[n++] = '\t'; s++; break;
      case 'r': out[n++] = '\r'; s++; break;
      case 'b': out[n++] = '\b'; s++; break;
      case 'f': out[n++] = '\f'; s++; break;
      case 'u': {
        unsigned cp = 0;
        if (sscanf(s + 1, "%4x", &cp) != 1) {
          free(out);
          return NULL;
        }
        s += 5;
        if (cp >= 0xD800 && cp < 0xDC00 && s[0] == '\\' && s[1] == 'u') {
          unsigned lo = 0;
          if (sscanf(s + 2, "%4x", &lo) == 1) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            s += 6;
          }
        }
        n += put_utf8(out + n, cp);
        break;
      }
      default: out[n++] = *s++; break;
    }
  }
  if (*s != '"') {
    free(out);
    return NULL;
  }
  out[n] = '\0';
  *p = s + 1;
  return out;
}

static const char *after_key(const char *json, const char *key) {
  char pat[128];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *at = strstr(json, pat);
  return at ? at + strlen(pat) : NULL;
}

int emu_json_pairs(const char *json, const char *key, char **names, char **values, int max) {
  const char *p = after_key(json, key);
  int n = 0;
  if (!p || *p != '{') return -1;
  p++;
  while (*p && *p != '}') {
    if (n == max) return -1;
    names[n] = parse_string(&p);
    if (!names[n] || *p != ':') return -1;
    p++;
    values[n] = parse_string(&p);
    if (!values[n]) {
      free(names[n]);
      return -1;
    }
    n++;
    if (*p == ',') p++;
  }
  return n;
}

void emu_free_pairs(char **names, char **values, int n) {
  for (int i = 0; i < n; i++) {
    free(names[i]);
    free(values[i]);
  }
}

char *emu_json_string(const char *json, const char *key) {
  const char *p = after_key(json, key);
  if (!p || *p != '"') return NULL;
  return parse_string(&p);
}

long long emu_json_number(const char *json, const char *key) {
  const char *p = json ? after_key(json, key) : NULL;
  if (!p) return -1;
  while (*p == ' ') p++;
  if (*p < '0' || *p > '9') return -1;
  return strtoll(p, NULL, 10);
}

long long emu_counter(const emu *e, const char *key) {
  int status = 0;
  char *body = emu_http(e, "GET", "emulator/counters", NULL, &status);
  long long n = status == 200 ? emu_json_number(body, key) : -1;
  free(body);
  return n;
}

long long emu_task_number(const emu *e, const char *task_id, const char *key) {
  char *body = emu_task(e, task_id);
  long long n = emu_json_number(body, key);
  free(body);
  return n;
}

/* ---- a JSON tree ------------------------------------------------------------------------ */

static const char *skip_space(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  return p;
}

/* Appends one item (and for an object its name, taken over) to `v`; 0 on success. */
static int append(emu_json *v, char *key, emu_json *item) {
  emu_json **items = realloc(v->items, (v->n + 1) * sizeof *items);
  if (!items) return -1;
  v->items = items;
  if (v->type == EMU_JSON_OBJECT) {
    char **keys = realloc(v->keys, (v->n + 1) * sizeof *keys);
    if (!keys) return -1;
    v->keys = keys;
    keys[v->n] = key;
  }
  items[v->n++] = item;
  return 0;
}

static emu_json *parse_value(const char **p, int depth) {
  const char *s = skip_space(*p);
  emu_json *v = depth > 64 ? NULL : calloc(1, sizeof *v);
  if (!v) return NULL;
  if (*s == '"') {
    v->type = EMU_JSON_STRING;
    if (!(v->text = parse_string(&s))) goto fail;
  } else if (*s == '{' || *s == '[') {
    char close = *s == '{' ? '}' : ']';
    v->type = *s == '{' ? EMU_JSON_OBJECT : EMU_JSON_ARRAY;
    s = skip_space(s + 1);
    if (*s == close) {
      s++;
    } else {
      for (;;) {
        char *key = NULL;
        if (v->type == EMU_JSON_OBJECT) {
          s = skip_space(s);
          if (!(key = parse_string(&s))) goto fail;
          s = skip_space(s);
          if (*s != ':') {
            free(key);
            goto fail;
          }
          s++;
        }
        emu_json *item = parse_value(&s, depth + 1);
        if (!item || append(v, key, item) != 0) {
          free(key);
          emu_json_free(item);
          goto fail;
        }
        s = skip_space(s);
        if (*s == ',') {
          s++;
          continue;
        }
        if (*s != close) goto fail;
        s++;
        break;
      }
    }
  } else if (strncmp(s, "true", 4) == 0 || strncmp(s, "false", 5) == 0) {
    v->type = EMU_JSON_BOOL;
    v->boolean = *s == 't';
    s += v->boolean ? 4 : 5;
  } else if (strncmp(s, "null", 4) == 0) {
    v->type = EMU_JSON_NULL;
    s += 4;
  } else {
    char *end = NULL;
    v->type = EMU_JSON_NUMBER;
    if (*s != '-' && (*s < '0' || *s > '9')) goto fail;
    strtod(s, &end);
    if (end == s) goto fail;
    if (!(v->text = strndup(s, (size_t)(end - s)))) goto fail;
    s = end;
  }
  *p = s;
  return v;
fail:
  emu_json_free(v);
  return NULL;
}

emu_json *emu_json_parse(const char *text) {
  if (!text) return NULL;
  emu_json *v = parse_value(&text, 0);
  if (v && *skip_space(text) != '\0') {
    emu_json_free(v);
    return NULL;
  }
  return v;
}

void emu_json_free(emu_json *v) {
  if (!v) return;
  for (size_t i = 0; i < v->n; i++) {
    if (v->keys) free(v->keys[i]);
    emu_json_free(v->items[i]);
  }
  free(v->keys);
  free(v->items);
  free(v->text);
  free(v);
}

const emu_json *emu_json_get(const emu_json *v, const char *key) {
  if (!v || v->type != EMU_JSON_OBJECT) return NULL;
  for (size_t i = 0; i < v->n; i++)
    if (strcmp(v->keys[i], key) == 0) return v->items[i];
  return NULL;
}

/* A growing text. */
typedef struct {
  char *s;
  size_t len, cap;
  int failed;
} text_buf;

static void put(text_buf *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (b->len + n + 1 > cap) cap *= 2;
    char *grown = realloc(b->s, cap);
    if (!grown) {
      b->failed = 1;
      return;
    }
    b->s = grown;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void put_quoted(text_buf *b, const char *s) {
  put(b, "\"", 1);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      put(b, esc, 2);
    } else if (c < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      put(b, esc, 6);
    } else {
      put(b, s, 1);
    }
  }
  put(b, "\"", 1);
}

static void put_value(text_buf *b, const emu_json *v) {
  switch (v->type) {
    case EMU_JSON_NULL: put(b, "null", 4); break;
    case EMU_JSON_BOOL: put(b, v->boolean ? "true" : "false", v->boolean ? 4 : 5); break;
    case EMU_JSON_NUMBER: put(b, v->text, strlen(v->text)); break;
    case EMU_JSON_STRING: put_quoted(b, v->text); break;
    case EMU_JSON_ARRAY:
    case EMU_JSON_OBJECT:
      put(b, v->type == EMU_JSON_OBJECT ? "{" : "[", 1);
      for (size_t i = 0; i < v->n; i++) {
        if (i) put(b, ",", 1);
        if (v->type == EMU_JSON_OBJECT) {
          put_quoted(b, v->keys[i]);
          put(b, ":", 1);
        }
        put_value(b, v->items[i]);
      }
      put(b, v->type == EMU_JSON_OBJECT ? "}" : "]", 1);
      break;
  }
}

static char *finish(text_buf *b) {
  if (b->failed || !b->s) {
    free(b->s);
    return NULL;
  }
  return b->s;
}

char *emu_json_text(const emu_json *v) {
  text_buf b = {0};
  if (!v) return NULL;
  put_value(&b, v);
  return finish(&b);
}

char *emu_json_quote(const char *s) {
  text_buf b = {0};
  put_quoted(&b, s);
  return finish(&b);
}

int emu_json_same(const emu_json *a, const emu_json *b) {
  if (!a || !b || a->type != b->type) return 0;
  switch (a->type) {
    case EMU_JSON_NULL: return 1;
    case EMU_JSON_BOOL: return a->boolean == b->boolean;
    case EMU_JSON_NUMBER: return strtod(a->text, NULL) == strtod(b->text, NULL);
    case EMU_JSON_STRING: return strcmp(a->text, b->text) == 0;
    case EMU_JSON_ARRAY:
      if (a->n != b->n) return 0;
      for (size_t i = 0; i < a->n; i++)
        if (!emu_json_same(a->items[i], b->items[i])) return 0;
      return 1;
    case EMU_JSON_OBJECT:
      if (a->n != b->n) return 0;
      for (size_t i = 0; i < a->n; i++)
        if (!emu_json_same(a->items[i], emu_json_get(b, a->keys[i]))) return 0;
      return 1;
  }
  return 0;
}

int emu_free_port(void) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  int port = 0, fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

void emu_fresh_key(char out[33]) {
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  static unsigned long counter;
  unsigned long c;
  struct timespec ts;
  pthread_mutex_lock(&lock);
  c = ++counter;
  pthread_mutex_unlock(&lock);
  clock_gettime(CLOCK_REALTIME, &ts);
  snprintf(out, 33, "%08x%08lx%08lx%08lx", (unsigned)getpid(), c, (unsigned long)ts.tv_nsec & 0xffffffffUL,
           (unsigned long)ts.tv_sec & 0xffffffffUL);
}

char *emu_base64(const unsigned char *bytes, size_t len) {
  static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char *out = malloc(4 * ((len + 2) / 3) + 1), *w = out;
  if (!out) return NULL;
  for (size_t i = 0; i < len; i += 3) {
    unsigned long v = (unsigned long)bytes[i] << 16 | (i + 1 < len ? (unsigned long)bytes[i + 1] << 8 : 0) |
                      (i + 2 < len ? bytes[i + 2] : 0);
    *w++ = digits[v >> 18 & 63];
    *w++ = digits[v >> 12 & 63];
    *w++ = i + 1 < len ? digits[v >> 6 & 63] : '=';
    *w++ = i + 2 < len ? digits[v & 63] : '=';
  }
  *w = '\0';
  return out;
}

unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  long size;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
      free(buf);
      buf = NULL;
    }
    if (buf) buf[size] = '\0';
    *len = (size_t)size;
  }
  fclose(f);
  return buf;
}
