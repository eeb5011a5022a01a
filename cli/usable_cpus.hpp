#pragma once
// The default of --jobs: the CPUs this process may run on.

namespace dangpli::cli {

/// The CPUs this process may run on: its affinity mask, which is what `taskset`, a Slurm
/// allocation (--cpus-per-task), GNU parallel's --cpu-affinity or a container's cpuset give it,
/// rather than every CPU of the machine. At least 1.
int usable_cpus();

}  // namespace dangpli::cli
