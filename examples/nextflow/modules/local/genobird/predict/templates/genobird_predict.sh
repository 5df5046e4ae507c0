#!/usr/bin/env bash
# The command of GENOBIRD_PREDICT. Nextflow fills in the ${...} values; the module's shell test
# (tests/cli/nextflow_module.sh) fills them with sed and runs this script as it is.
set -euo pipefail
${genobird} predict ${model_arg} --genome ${genome} --regions ${regions} ${shard_arg} -t ${task.cpus} ${args} -o ${prefix}.tsv
cat <<-END_VERSIONS > versions.yml
"${task.process}":
    genobird: \$(${genobird} --version | sed 's/^genobird //')
END_VERSIONS
