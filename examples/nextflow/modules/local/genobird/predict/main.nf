// nf-core-style module: score BED regions (one shard of them) with `genobird predict`.
//
// input:  tuple val(meta), path(regions)  meta.id names the output; meta.shard is "I/N" (or null: all regions)
//         path genome                     FASTA (its .fai is written beside it when missing)
//         path model                      model directory, or [] for genobird's bundled model
// output: tuple val(meta), path("*.tsv")  predictions: region columns, head probabilities, padded_bp
//         path "versions.yml"
// task.ext.args adds predict options (e.g. '--strand --rc mean'); task.ext.genobird is the genobird binary to
// run (default: `genobird` from PATH).
process GENOBIRD_PREDICT {
    tag "$meta.id"
    label 'process_medium'

    input:
    tuple val(meta), path(regions)
    path genome
    path model

    output:
    tuple val(meta), path("*.tsv"), emit: predictions
    path "versions.yml"           , emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    args = task.ext.args ?: ''
    genobird = task.ext.genobird ?: 'genobird'
    prefix = task.ext.prefix ?: "${meta.id}"
    model_arg = model ? "--model ${model}" : ''
    shard_arg = meta.shard ? "--shard ${meta.shard}" : ''
    template 'genobird_predict.sh'

    stub:
    prefix = task.ext.prefix ?: "${meta.id}"
    genobird = task.ext.genobird ?: 'genobird'
    """
    printf 'chrom\\tstart\\tend\\n' > ${prefix}.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genobird: \$(${genobird} --version | sed 's/^genobird //')
    END_VERSIONS
    """
}
