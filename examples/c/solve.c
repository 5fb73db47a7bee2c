/* capbridge from C: the balance, one blocking solve with progress events, then several solves
 * at once with a completion callback, and what to do with each kind of error.
 *
 *   CAPBRIDGE_PROVIDER=2captcha CAPBRIDGE_API_KEY=<your key> ./solve [captcha.png]
 *
 * CAPBRIDGE_PROVIDER is a preset name ("2captcha", "capsolver", ...) or a base URL (the local
 * emulator's, for instance: `capbridge-emulator --port 0` prints it). With an image path, an
 * image captcha is solved too.
 *
 * Build: see Makefile and CMakeLists.txt next to this file. */
#define _POSIX_C_SOURCE 200809L
#include <capbridge.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Public test keys published by Google, hCaptcha and Cloudflare for their demo pages. */
#define RECAPTCHA_PAGE "https://www.google.com/recaptcha/api2/demo"
#define RECAPTCHA_KEY "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"
#define HCAPTCHA_PAGE "https://accounts.hcaptcha.com/demo"
#define HCAPTCHA_KEY "10000000-ffff-ffff-ffff-000000000001"
#define TURNSTILE_PAGE "https://example.com/"
#define TURNSTILE_KEY "1x00000000000000000000AA"

/* Prints an error the way a program would act on it, then frees it. */
static void report_error(const char *what, capbridge_error *err) {
  fprintf(stderr, "%s failed: %s\n", what, capbridge_error_to_string(err));
  switch (capbridge_error_kind(err)) {
    case CAPBRIDGE_ERR_INVALID_TASK:
      fprintf(stderr, "  fix the task's field %s\n", capbridge_error_field(err));
      break;
    case CAPBRIDGE_ERR_AUTH:
    case CAPBRIDGE_ERR_BALANCE:
      fprintf(stderr, "  check the account (key, money) before trying again\n");
      break;
    case CAPBRIDGE_ERR_TIMEOUT:
      /* The task is still at the service: capbridge_wait() can collect it later. */
      fprintf(stderr, "  still solving: task %s\n", capbridge_error_task_id(err));
      break;
    case CAPBRIDGE_ERR_USAGE:
      if (capbridge_error_option(err)) fprintf(stderr, "  check the option %s\n", capbridge_error_option(err));
      break;
    default:
      if (capbridge_error_retryable(err)) {
        long long after = (long long)capbridge_error_retry_after_ms(err);
        fprintf(stderr, "  may succeed later%s", after >= 0 ? "" : "\n");
        if (after >= 0) fprintf(stderr, " (after %lld ms)\n", after);
      }
  }
  capbridge_error_free(err);
}

/* Events arrive on a library thread: print and return at once. */
static void on_event(void *user_data, const capbridge_event *event) {
  (void)user_data;
  printf("  %s\n", capbridge_event_to_string(event));
}

/* ---- several solves at once, with a completion callback ---------------------------------- */

typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t done_cond;
  int pending;
} batch;

typedef struct {
  batch *batch;
  const char *name;
} job;

/* Runs on a library thread, once per solve: copy what is needed, signal, return. */
static void on_done(void *user_data, const capbridge_solution *solution, const capbridge_error *error) {
  job *j = user_data;
  if (solution) {
    const char *ua = capbridge_solution_user_agent(solution);
    printf("callback: %s: %.40s... (task %s%s%s)\n", j->name, capbridge_solution_answer(solution),
           capbridge_solution_task_id(solution), ua ? ", user agent " : "", ua ? ua : "");
  } else {
    printf("callback: %s failed: %s\n", j->name, capbridge_error_to_string(error));
  }
  pthread_mutex_lock(&j->batch->lock);
  j->batch->pending--;
  pthread_cond_signal(&j->batch->done_cond);
  pthread_mutex_unlock(&j->batch->lock);
}

static capbridge_task *token_task(const char *kind, const char *page, const char *site_key) {
  capbridge_error *err = NULL;
  capbridge_task *task = capbridge_task_new(kind, &err);
  if (!task) {
    report_error("capbridge_task_new", err);
    exit(1);
  }
  capbridge_task_set_string(task, "website_url", page);
  capbridge_task_set_string(task, "website_key", site_key);
  return task;
}

static int solve_concurrently(capbridge_client *client) {
  batch b = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
  job jobs[] = {{&b, "RecaptchaV2"}, {&b, "HCaptcha"}, {&b, "Turnstile"}};
  capbridge_task *tasks[] = {
      token_task("RecaptchaV2", RECAPTCHA_PAGE, RECAPTCHA_KEY),
      token_task("HCaptcha", HCAPTCHA_PAGE, HCAPTCHA_KEY),
      token_task("Turnstile", TURNSTILE_PAGE, TURNSTILE_KEY),
  };
  for (int i = 0; i < 3; i++) {
    capbridge_error *err = NULL;
    pthread_mutex_lock(&b.lock);
    b.pending++;
    pthread_mutex_unlock(&b.lock);
    capbridge_solve_handle *h = capbridge_solve_async(client, tasks[i], NULL, on_done, &jobs[i], &err);
    if (!h) { /* the callback will not run */
      report_error("capbridge_solve_async", err);
      pthread_mutex_lock(&b.lock);
      b.pending--;
      pthread_mutex_unlock(&b.lock);
    }
    capbridge_solve_handle_free(h); /* the solve goes on; we only give up the means to cancel it */
    capbridge_task_free(tasks[i]);  /* the solve has its own copy */
  }
  pthread_mutex_lock(&b.lock);
  while (b.pending > 0) pthread_cond_wait(&b.done_cond, &b.lock);
  pthread_mutex_unlock(&b.lock);
  return 0;
}

/* ---- main ---------------------------------------------------------------------------------- */

static unsigned char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *data = NULL;
  size_t cap = 0;
  *len = 0;
  if (!f) return NULL;
  for (;;) {
    if (*len == cap) {
      unsigned char *grown = realloc(data, cap = cap ? cap * 2 : 65536);
      if (!grown) break;
      data = grown;
    }
    size_t n = fread(data + *len, 1, cap - *len, f);
    if (n == 0) break;
    *len += n;
  }
  fclose(f);
  return data;
}

int main(int argc, char **argv) {
  const char *provider = getenv("CAPBRIDGE_PROVIDER");
  const char *key = getenv("CAPBRIDGE_API_KEY");
  if (!provider || !key) {
    fprintf(stderr, "set CAPBRIDGE_PROVIDER and CAPBRIDGE_API_KEY (see the top of %s)\n", __FILE__);
    return 2;
  }
  printf("capbridge %s\n", capbridge_version());

  /* The client: options by name, checked by capbridge_client_new. */
  capbridge_options *opts = capbridge_options_new();
  capbridge_options_set_string(opts, "provider", provider);
  capbridge_options_set_string(opts, "api_key", key);
  capbridge_options_set_int(opts, "timeout_ms", 180000);
  if (strncmp(provider, "http://127.0.0.1", 16) == 0) {
    /* The local emulator answers within a second; real services get their documented waits
     * (a reCAPTCHA v2 is polled first 20 s after the submit, then every 5 s). */
    capbridge_options_set_int(opts, "initial_delay_ms", 300);
    capbridge_options_set_int(opts, "poll_interval_ms", 300);
  }
  capbridge_error *err = NULL;
  capbridge_client *client = capbridge_client_new(opts, &err);
  capbridge_options_free(opts); /* the client keeps its own copy */
  if (!client) {
    report_error("capbridge_client_new", err);
    return 1;
  }

  char *balance = NULL;
  if (capbridge_balance(client, &balance, &err) == CAPBRIDGE_OK) {
    printf("balance: %s\n", balance); /* exact decimal text */
    capbridge_string_free(balance);
  } else {
    report_error("capbridge_balance", err);
  }

  /* One blocking solve, with its steps printed as they happen. */
  capbridge_task *task = token_task("RecaptchaV2", RECAPTCHA_PAGE, RECAPTCHA_KEY);
  capbridge_task_set_bool(task, "invisible", false);
  capbridge_solve_options *so = capbridge_solve_options_new();
  capbridge_solve_options_set_event_callback(so, on_event, NULL);
  capbridge_solution *solution = NULL;
  int failed = 0;
  if (capbridge_solve(client, task, so, &solution, &err) == CAPBRIDGE_OK) {
    printf("blocking: %.50s... (task %s)\n", capbridge_solution_answer(solution),
           capbridge_solution_task_id(solution));
    /* Tell the service whether the site accepted the answer. */
    if (capbridge_report(client, capbridge_solution_task_id(solution), true, &err) != CAPBRIDGE_OK)
      report_error("capbridge_report", err);
    capbridge_solution_free(solution);
  } else {
    report_error("capbridge_solve", err);
    failed = 1;
  }
  capbridge_solve_options_free(so);
  capbridge_task_free(task);

  /* An image captcha from a file. */
  if (argc > 1) {
    size_t len = 0;
    unsigned char *png = read_all(argv[1], &len);
    task = capbridge_task_new("ImageToText", NULL);
    capbridge_task_set_image(task, png, len); /* NULL bytes are refused: checked below */
    capbridge_task_set_int(task, "min_length", 4);
    free(png);
    solution = NULL;
    if (capbridge_solve(client, task, NULL, &solution, &err) == CAPBRIDGE_OK) {
      printf("image: %s\n", capbridge_solution_answer(solution));
      capbridge_solution_free(solution);
    } else {
      report_error("image", err);
      failed = 1;
    }
    capbridge_task_free(task);
  }

  solve_concurrently(client);
  capbridge_client_free(client);
  return failed;
}
