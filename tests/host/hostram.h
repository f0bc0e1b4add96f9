/*
 * hostram.h - the platform every host test of mm/ stands on: simulated RAM
 * behind the frame table (physical 0 upward, so an API that took 0 to mean
 * failure would show), pmap_kva/zero/copy over it, checked mm locks, and
 * mm_panic as abort() (harness_panics() expects SIGABRT).
 */
#ifndef CALF_HOST_HOSTRAM_H
#define CALF_HOST_HOSTRAM_H

#include <stdint.h>

/* Give the frame table nframes frames of simulated RAM at physical 0. */
void host_ram_init(uint32_t nframes);

/* Free the simulated RAM. */
void host_ram_fini(void);

/* How many times any space's mutex has been taken so far (mm_mutex_lock calls). */
unsigned long host_mutex_takes(void);

#endif
