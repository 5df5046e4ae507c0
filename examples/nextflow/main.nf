#!/usr/bin/env nextflow
// Minimal workflow: scatter a BED over `--shards` GENOBIRD_PREDICT jobs and gather them in BED order.
//   nextflow run examples/nextflow --genome examples/data/dm3_upstream_chr2R.fa \
//       --regions examples/data/dm3_upstream_chr2R.bed --shards 4 --outdir results
nextflow.enable.dsl = 2

params.genome  = "${projectDir}/../data/dm3_upstream_chr2R.fa"
params.regions = "${projectDir}/../data/dm3_upstream_chr2R.bed"
params.model   = ''          // empty: the bundled model
params.genobird = 'genobird' // the genobird binary: a path, or a name found on PATH
params.shards  = 4
params.outdir  = 'results'

include { GENOBIRD_PREDICT } from './modules/local/genobird/predict/main'

process GATHER_SHARDS {
    publishDir params.outdir, mode: 'copy'

    input:
    path regions
    path shards, stageAs: 'shards/*'

    output:
    path 'predictions.tsv'

    script:
    // Shards in shard order: gather-shards.sh interleaves them back into the BED's order.
    def ordered = shards.sort { it.name.replaceAll(/\D+/, '') as int }.join(' ')
    """
    bash ${projectDir}/../gather-shards.sh ${regions} ${ordered} > predictions.tsv
    """
}

workflow {
    regions = file(params.regions, checkIfExists: true)
    genome  = file(params.genome, checkIfExists: true)
    model   = params.model ? file(params.model, checkIfExists: true) : []
    shards  = Channel.of(0..<(params.shards as int)).map { i ->
        [[id: "shard_${i}", shard: "${i}/${params.shards}"], regions]
    }
    GENOBIRD_PREDICT(shards, genome, model)
    GATHER_SHARDS(regions, GENOBIRD_PREDICT.out.predictions.map { meta, tsv -> tsv }.collect())
}
