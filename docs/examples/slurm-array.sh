#!/usr/bin/env bash
# Renders a folder of takes through a model as a Slurm job array of 4 tasks. Slurm sets
# SLURM_ARRAY_TASK_ID to 0..3 (the array must start at 0); `--shard auto/4` turns it into a
# disjoint quarter of the sorted inputs. Rerunning a failed task resumes it.
#   sbatch docs/examples/slurm-array.sh
#SBATCH --job-name=grustream-render
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --mem=512M
#SBATCH --time=02:00:00
#SBATCH --output=grustream-%A-%a.log
set -euo pipefail
grustream batch "$HOME/models/amp.json" "$HOME/takes" --recursive \
  --out "$HOME/renders" --shard auto/4 --jobs "$SLURM_CPUS_PER_TASK" \
  --report "$HOME/renders/report-$SLURM_ARRAY_TASK_ID.json"
