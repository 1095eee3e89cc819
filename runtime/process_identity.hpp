// Names a process across daemon restarts by (pid, start time), so a recycled pid is never taken for
// one of ours, and signals whole process groups.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace kinda::runtime {

// Field 22 of /proc/<pid>/stat (clock ticks since boot); nullopt when no such process exists.
std::optional<uint64_t> process_start_time(pid_t pid);

// True while pid names the process that started at start_time (a zombie still counts).
bool same_process(pid_t pid, uint64_t start_time);

// kill(-pgid, sig), ignoring a group that is already gone. pgid <= 1 is refused, because
// kill(0, …) and kill(-1, …) would signal our own group or every process.
void signal_group(pid_t pgid, int sig);

}  // namespace kinda::runtime
