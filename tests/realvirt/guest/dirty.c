// The rig's dirtying guest (tests/realvirt/up builds it static into the initramfs, run as init's
// only job). From the kernel command line: rejuv.fill=M (MiB) and rejuv.rate=R (MiB/s).
//
// It first writes every byte of M MiB (so QEMU sends each page in full: a page never written is a
// zero page, which QEMU sends as a few bytes and the host never allocates), reports on the serial
// console how much it filled and how long it took, then rewrites one word per page, walking the
// region round and round, at R MiB/s of pages (R·256 pages a second) in 10 ms slices. Every 10 s
// it reports the rate it actually reached (a TCG guest may fall short of a high R).
//
// The report lines start with "rejuv-dirty:" so the rig can wait for them and parse them.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long cmdline_value(const char *cmdline, const char *key, long fallback) {
  const char *p = strstr(cmdline, key);
  return p ? strtol(p + strlen(key), NULL, 10) : fallback;
}

static long meminfo_kib(const char *key) {
  FILE *f = fopen("/proc/meminfo", "r");
  char line[128];
  long v = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, key, strlen(key)) == 0) v = strtol(line + strlen(key), NULL, 10);
  fclose(f);
  return v;
}

int main(void) {
  char cmdline[4096] = {0};
  FILE *f = fopen("/proc/cmdline", "r");
  if (!f || !fgets(cmdline, sizeof cmdline, f)) {
    printf("rejuv-dirty: error: cannot read /proc/cmdline\n");
    return 1;
  }
  fclose(f);
  const long asked_mib = cmdline_value(cmdline, "rejuv.fill=", 0);
  const long rate_mib = cmdline_value(cmdline, "rejuv.rate=", 0);
  const long available_kib = meminfo_kib("MemAvailable:");
  printf("rejuv-dirty: asked fill %ld MiB, rate %ld MiB/s; MemTotal %ld kB, MemAvailable %ld kB\n",
         asked_mib, rate_mib, meminfo_kib("MemTotal:"), available_kib);
  // A fill past what the guest has free gets the program OOM-killed half-way (a 1024 MiB guest
  // has about 880 MiB available after the kernel and the initramfs), so it is cut to leave 24 MiB.
  long fill_mib = asked_mib;
  if (available_kib > 0 && fill_mib > available_kib / 1024 - 24) {
    fill_mib = available_kib / 1024 - 24 > 0 ? available_kib / 1024 - 24 : 0;
    printf("rejuv-dirty: fill cut to %ld MiB to fit MemAvailable\n", fill_mib);
  }
  const size_t page = 4096, bytes = (size_t)fill_mib << 20, pages = bytes / page;
  fflush(stdout);
  if (pages == 0) {
    printf("rejuv-dirty: filled 0 MiB in 0.00 s\n");
    fflush(stdout);
    for (;;) pause();
  }

  // MAP_POPULATE would fault the pages in without writing them (zero pages all the same), so the
  // fill writes them; mlock keeps them from the (swapless) guest's reclaim all the same.
  const double t0 = now_s();
  uint8_t *region = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) {
    printf("rejuv-dirty: error: cannot map %ld MiB (MemAvailable %ld kB)\n", fill_mib,
           meminfo_kib("MemAvailable:"));
    fflush(stdout);
    for (;;) pause();
  }
  for (size_t i = 0; i < bytes; i += sizeof(uint64_t))
    *(uint64_t *)(region + i) = 0x9e3779b97f4a7c15ull ^ i;
  printf("rejuv-dirty: filled %ld MiB in %.2f s; MemAvailable %ld kB\n", fill_mib, now_s() - t0,
         meminfo_kib("MemAvailable:"));
  fflush(stdout);

  if (rate_mib <= 0) for (;;) pause();
  const double slice_s = 0.01, pages_per_s = (double)rate_mib * 256;
  size_t next = 0;
  uint64_t stamp = 1, dirtied = 0, reported = 0;
  double owed = 0, start = now_s(), report_at = start + 10;
  struct timespec wake;
  clock_gettime(CLOCK_MONOTONIC, &wake);
  for (;;) {
    owed += pages_per_s * slice_s;
    for (; owed >= 1; owed -= 1, ++dirtied) {
      *(uint64_t *)(region + next * page) = stamp++;
      if (++next == pages) next = 0;
    }
    wake.tv_nsec += (long)(slice_s * 1e9);
    if (wake.tv_nsec >= 1000000000L) {
      wake.tv_nsec -= 1000000000L;
      ++wake.tv_sec;
    }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
    const double t = now_s();
    // Behind schedule by more than 10 slices (a slow TCG guest): drop the debt rather than burst.
    if (t - ((double)wake.tv_sec + (double)wake.tv_nsec / 1e9) > 10 * slice_s)
      clock_gettime(CLOCK_MONOTONIC, &wake);
    if (t >= report_at) {
      printf("rejuv-dirty: dirtied %.1f MiB/s over the last %.0f s\n",
             (double)(dirtied - reported) / 256 / (t - report_at + 10), t - report_at + 10);
      fflush(stdout);
      reported = dirtied;
      report_at = t + 10;
    }
  }
}
