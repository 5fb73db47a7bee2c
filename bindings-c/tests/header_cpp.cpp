// The header compiles as C++ (tests/run-c: -std=c++11 -pedantic -Wall -Wextra -Werror), its
// functions have C linkage, and handles fit std::unique_ptr with the _free functions.
#include <capbridge.h>

#include <memory>
#include <type_traits>

extern "C" void on_event(void *, const capbridge_event *) {}

int main() {
  std::unique_ptr<capbridge_options, decltype(&capbridge_options_free)> options(capbridge_options_new(),
                                                                               &capbridge_options_free);
  static_assert(std::is_same<decltype(&capbridge_status_name), const char *(*)(int)>::value, "C prototype");
  capbridge_event_callback cb = on_event;
  (void)cb;
  return options ? 0 : 1;
}
