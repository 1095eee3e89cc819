// Touches the given number of MiB, one at a time, for the cgroup tests: under a lower memory limit
// the kernel's OOM killer must end it; exit status 0 means the limit was not enforced.
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  const int mebibytes = argc == 2 ? std::atoi(argv[1]) : 0;
  if (mebibytes <= 0) return 2;
  std::vector<char*> kept;
  for (int i = 0; i < mebibytes; ++i) {
    char* chunk = static_cast<char*>(std::malloc(1 << 20));
    if (!chunk) return 3;
    // Volatile, so the compiler cannot drop memory that is never read.
    volatile char* pages = chunk;
    for (int offset = 0; offset < (1 << 20); offset += 4096) pages[offset] = 1;
    kept.push_back(chunk);
  }
  return 0;
}
