// The CLI's signal handlers; everything they call is async-signal-safe.
#include "signals.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "promtool/output.h"
#include "promtool/source.h"

namespace promtool::cli {
namespace {

void WriteStderr(const char* s) {
  size_t n = std::strlen(s);
  while (n > 0) {
    ssize_t w = ::write(STDERR_FILENO, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

// SIGINT, SIGTERM, SIGHUP: no half-written temporary file stays behind; then die of the signal.
void OnTerminate(int sig) {
  RemovePendingTempFiles();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// SIGBUS: the usual cause is a memory-mapped input truncated by another process while we read it.
// That is an I/O error of that input: say so, clean up, exit 1. Any other SIGBUS is a real fault:
// clean up and let it kill the process as it would have.
void OnBusError(int sig, siginfo_t* info, void*) {
  RemovePendingTempFiles();
  const char* name = info != nullptr ? MappedFileAt(info->si_addr) : nullptr;
  if (name != nullptr) {
    WriteStderr(name);
    WriteStderr(
        ": error: input file changed size while being read (it was truncated); output files "
        "were not replaced\n");
    ::_exit(1);
  }
  ::signal(sig, SIG_DFL);  // returning re-runs the faulting access, which now kills the process
}

}  // namespace

void InstallSignalHandlers() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = OnTerminate;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old;
    // A signal ignored by whoever started us (nohup, a shell's background job) stays ignored.
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    ::sigaction(sig, &sa, nullptr);
  }
  struct sigaction bus;
  std::memset(&bus, 0, sizeof bus);
  sigemptyset(&bus.sa_mask);
  bus.sa_sigaction = OnBusError;
  bus.sa_flags = SA_SIGINFO;
  ::sigaction(SIGBUS, &bus, nullptr);
}

}  // namespace promtool::cli
