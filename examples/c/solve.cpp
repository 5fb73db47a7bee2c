// capbridge from C++: the C API with every handle in a std::unique_ptr whose deleter is the
// handle's _free function, errors turned into exceptions, and a solve with a completion
// callback awaited through a std::future.
//
//   CAPBRIDGE_PROVIDER=2captcha CAPBRIDGE_API_KEY=<your key> ./solve_cpp
//
// Build: see Makefile and CMakeLists.txt next to this file.
#include <capbridge.h>

#include <cstdlib>
#include <cstring>
#include <future>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace cb {

// A deleter calling the C API's _free function (each accepts NULL).
template <typename T, void (*Free)(T *)>
struct Deleter {
  void operator()(T *p) const noexcept { Free(p); }
};

using Options = std::unique_ptr<capbridge_options, Deleter<capbridge_options, capbridge_options_free>>;
using Client = std::unique_ptr<capbridge_client, Deleter<capbridge_client, capbridge_client_free>>;
using Task = std::unique_ptr<capbridge_task, Deleter<capbridge_task, capbridge_task_free>>;
using Solution = std::unique_ptr<capbridge_solution, Deleter<capbridge_solution, capbridge_solution_free>>;
using Error = std::unique_ptr<capbridge_error, Deleter<capbridge_error, capbridge_error_free>>;
using SolveHandle =
    std::unique_ptr<capbridge_solve_handle, Deleter<capbridge_solve_handle, capbridge_solve_handle_free>>;
using String = std::unique_ptr<char, Deleter<char, capbridge_string_free>>;

// A capbridge error as an exception, keeping the kind and the task id.
class CaptchaError : public std::runtime_error {
 public:
  explicit CaptchaError(const capbridge_error *e)
      : std::runtime_error(e ? capbridge_error_to_string(e) : "unknown capbridge error"),
        kind(capbridge_error_kind(e)),
        retryable(capbridge_error_retryable(e)),
        task_id(capbridge_error_task_id(e) ? capbridge_error_task_id(e) : "") {}
  capbridge_status kind;
  bool retryable;
  std::string task_id;
};

// Throws when a call failed; takes ownership of the error. Call it with the status in a
// variable first: `check(capbridge_x(..., &err), err)` may read `err` before the call sets it.
inline void check(capbridge_status status, capbridge_error *raw) {
  Error err(raw);
  if (status != CAPBRIDGE_OK) throw CaptchaError(err.get());
}

inline Client make_client(const std::string &provider, const std::string &key, bool local) {
  Options opts(capbridge_options_new());
  capbridge_options_set_string(opts.get(), "provider", provider.c_str());
  capbridge_options_set_string(opts.get(), "api_key", key.c_str());
  if (local) {  // the local emulator answers within a second
    capbridge_options_set_int(opts.get(), "initial_delay_ms", 300);
    capbridge_options_set_int(opts.get(), "poll_interval_ms", 300);
  }
  capbridge_error *err = nullptr;
  Client client(capbridge_client_new(opts.get(), &err));
  if (!client) check(capbridge_error_kind(err), err);
  return client;
}

inline Task make_task(const char *kind, const std::vector<std::pair<const char *, const char *>> &fields) {
  capbridge_error *err = nullptr;
  Task task(capbridge_task_new(kind, &err));
  if (!task) check(capbridge_error_kind(err), err);
  for (const auto &f : fields) capbridge_task_set_string(task.get(), f.first, f.second);
  // Setter failures are remembered by the task: validate reports the first one.
  capbridge_status status = capbridge_task_validate(task.get(), &err);
  check(status, err);
  return task;
}

inline Solution solve(const Client &client, const Task &task) {
  capbridge_solution *raw = nullptr;
  capbridge_error *err = nullptr;
  capbridge_status status = capbridge_solve(client.get(), task.get(), nullptr, &raw, &err);
  Solution solution(raw);
  check(status, err);
  return solution;
}

// A solve with a completion callback, as a future. The callback runs on a library thread:
// it only copies the outcome into the promise (no blocking there).
inline std::future<Solution> solve_async(const Client &client, const Task &task, SolveHandle &handle) {
  auto *promise = new std::promise<Solution>();
  std::future<Solution> future = promise->get_future();
  // No exception may leave the callback (it returns into the library): hence the try.
  auto on_done = [](void *user_data, const capbridge_solution *solution, const capbridge_error *error) {
    std::unique_ptr<std::promise<Solution>> p(static_cast<std::promise<Solution> *>(user_data));
    try {
      if (solution) {
        p->set_value(Solution(capbridge_solution_clone(solution)));  // keep a copy of the lent one
      } else {
        p->set_exception(std::make_exception_ptr(CaptchaError(error)));
      }
    } catch (...) {
      p->set_exception(std::current_exception());
    }
  };
  capbridge_error *err = nullptr;
  handle.reset(capbridge_solve_async(client.get(), task.get(), nullptr, on_done, promise, &err));
  if (!handle) {  // the callback will never run: the promise is ours to free
    delete promise;
    check(capbridge_error_kind(err), err);
  }
  return future;
}

}  // namespace cb

int main() {
  const char *provider = std::getenv("CAPBRIDGE_PROVIDER");
  const char *key = std::getenv("CAPBRIDGE_API_KEY");
  if (!provider || !key) {
    std::cerr << "set CAPBRIDGE_PROVIDER and CAPBRIDGE_API_KEY\n";
    return 2;
  }
  try {
    cb::Client client = cb::make_client(provider, key, std::strncmp(provider, "http://127.0.0.1", 16) == 0);

    char *raw_balance = nullptr;
    capbridge_error *err = nullptr;
    capbridge_status status = capbridge_balance(client.get(), &raw_balance, &err);
    cb::String balance(raw_balance);
    cb::check(status, err);
    std::cout << "balance: " << balance.get() << "\n";

    cb::Task hcaptcha = cb::make_task("HCaptcha", {{"website_url", "https://accounts.hcaptcha.com/demo"},
                                                   {"website_key", "10000000-ffff-ffff-ffff-000000000001"}});
    cb::Solution s = cb::solve(client, hcaptcha);
    std::cout << "blocking: " << std::string(capbridge_solution_answer(s.get())).substr(0, 40) << "... (user agent "
              << (capbridge_solution_user_agent(s.get()) ? capbridge_solution_user_agent(s.get()) : "none") << ")\n";

    cb::Task turnstile = cb::make_task("Turnstile", {{"website_url", "https://example.com/"},
                                                     {"website_key", "1x00000000000000000000AA"}});
    cb::SolveHandle handle;
    std::future<cb::Solution> pending = cb::solve_async(client, turnstile, handle);
    cb::Solution t = pending.get();
    std::cout << "callback: " << std::string(capbridge_solution_answer(t.get())).substr(0, 40) << "... (task "
              << capbridge_solution_task_id(t.get()) << ")\n";

    // An invalid task is refused before anything is sent, naming the field.
    try {
      cb::make_task("RecaptchaV2", {{"website_url", "not a url"}, {"website_key", "k"}});
    } catch (const cb::CaptchaError &e) {
      std::cout << "refused as expected: " << e.what() << "\n";
    }
  } catch (const cb::CaptchaError &e) {
    std::cerr << "capbridge: " << e.what() << (e.retryable ? " (retryable)" : "") << "\n";
    return 1;
  }
  return 0;
}
