// Process-wide signal handling of the CLI: temporary output files removed on SIGINT, SIGTERM and
// SIGHUP (then the signal's default action, so the exit status still says which signal), and a
// memory-mapped input that shrinks while it is read (SIGBUS) reported as an I/O error, exit 1.
#pragma once

namespace promtool::cli {

// Installs the handlers; call once at the start of main().
void InstallSignalHandlers();

}  // namespace promtool::cli
