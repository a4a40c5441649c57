//! Side-by-side measurement: variants run in alternating rounds (A, B, A, B, ...), each round
//! timed in wall-clock and process CPU time; the report gives the median per operation of
//! each, so that a slow moment of the machine does not favour one side.

#![allow(dead_code)]

use std::time::{Duration, Instant};

/// CPU time of the whole process so far (all threads: a client and an in-process server are
/// charged together).
pub fn cpu_time() -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `clock_gettime` writes one `timespec` through a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Per-operation medians of one variant.
#[derive(Debug, Clone, Copy)]
pub struct Medians {
    pub wall: Duration,
    pub cpu: Duration,
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Runs each variant `rounds` times, alternating; each call of a variant does `ops`
/// operations. Returns the medians per operation, in the variants' order.
pub fn alternate(rounds: usize, ops: u64, variants: &mut [&mut dyn FnMut()]) -> Vec<Medians> {
    let mut walls = vec![Vec::new(); variants.len()];
    let mut cpus = vec![Vec::new(); variants.len()];
    for round in 0..rounds {
        // Alternate the order too, so that neither side always runs first.
        let order: Vec<usize> = if round % 2 == 0 { (0..variants.len()).collect() } else { (0..variants.len()).rev().collect() };
        for i in order {
            let (cpu, wall) = (cpu_time(), Instant::now());
            (variants[i])();
            walls[i].push(wall.elapsed() / ops as u32);
            cpus[i].push((cpu_time() - cpu) / ops as u32);
        }
    }
    walls.into_iter().zip(cpus).map(|(w, c)| Medians { wall: median(w), cpu: median(c) }).collect()
}
