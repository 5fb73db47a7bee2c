/* The header compiles as strict C99 (tests/run-c: -std=c99 -pedantic -Wall -Wextra -Werror),
 * twice included, and its types are usable as documented. */
#include <capbridge.h>
#include <capbridge.h>

static void on_event(void *user_data, const capbridge_event *event) {
  (void)user_data;
  (void)capbridge_event_step(event);
}

static void on_done(void *user_data, const capbridge_solution *solution, const capbridge_error *error) {
  (void)user_data;
  (void)solution;
  (void)error;
}

int main(void) {
  capbridge_event_callback events = on_event;
  capbridge_solve_callback done = on_done;
  enum capbridge_status tagged = CAPBRIDGE_OK;
  capbridge_status status = CAPBRIDGE_ERR_USAGE;
  (void)events;
  (void)done;
  return (int)tagged + (status == CAPBRIDGE_ERR_USAGE ? 0 : 1);
}
