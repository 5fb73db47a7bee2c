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
  char *out = malloc(strlen(s) + 1);
  size_t n = 0;
  if (!out) return NULL;
  while (*s && *s != '"') {
    if (*s != '\\') {
      out[n++] = *s++;
      continue;
    }
    s++;
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
    *len = (size_t)size;
  }
  fclose(f);
  return buf;
}
