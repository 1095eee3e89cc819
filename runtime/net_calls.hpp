// One intercepted socket call of a pod, answered: the supervisor's half of the pod network (see
// net_policy.hpp for the rules, net_filter.hpp for which calls come here). The pod's socket is
// duplicated into the supervisor with pidfd_getfd(2), so a bind is performed on the supervisor's
// own copy of the address (what the program's other threads do to its memory cannot change it);
// a destination that means the pod itself is rewritten in the program's memory before the call
// goes on in the kernel, so connect keeps its blocking, non-blocking and signal semantics.
#pragma once

#include <netinet/in.h>

namespace kinda::runtime {

// Receives and answers one notification on `listener`; false when there was none to take.
bool answer_one_call(int listener, in_addr pod);

// Asks the kernel to wake the supervisor on the caller's CPU (Linux 6.6+); a hint, never needed.
void prefer_synchronous_wakeups(int listener);

}  // namespace kinda::runtime
