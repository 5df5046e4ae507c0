#!/usr/bin/env bash
# genobird runs genome and tokenizer commands without loading libtorch and hands every other command to
# genobird-torch, found beside it (build tree) or in ../libexec/genobird (installed tree).
source "$(dirname "$0")/lib.sh"

torch_binary="$(dirname "$GENOBIRD")/genobird-torch"
if [ ! -x "$torch_binary" ]; then
  # A build without libtorch has only genobird, which then must not offer model commands.
  expect_status 2 "model command in a torch-free build" -- "$GENOBIRD" model info "$TEST_DATA/infer_model"
  finish
fi

ldd "$GENOBIRD" | grep -q 'libtorch' && fail "genobird is linked with libtorch" || pass
ldd "$torch_binary" | grep -q 'libtorch' && pass || fail "genobird-torch is not linked with libtorch"

# The torch-free executable answers these itself: the same bytes as genobird-torch gives.
expect_status 0 "tokenizer info" -- "$GENOBIRD" tokenizer info --tokenizer "$TEST_DATA/lambda_bpe512.json"
cp "$WORK/out" "$WORK/core_out"
expect_status 0 "tokenizer info by genobird-torch" -- "$torch_binary" tokenizer info --tokenizer "$TEST_DATA/lambda_bpe512.json"
expect_same "$WORK/out" "$WORK/core_out" "both executables give the same tokenizer info"

# Handed over: model commands, the overview, --version --verbose.
expect_status 0 "model info handed over" -- "$GENOBIRD" model info "$TEST_DATA/infer_model"
expect_match "$WORK/out" '^vocab_size' "model info output through genobird"
expect_status 0 "overview handed over" -- "$GENOBIRD" --help
expect_match "$WORK/out" '^  model init ' "the overview lists the model commands"
expect_status 0 "--version --verbose handed over" -- "$GENOBIRD" --version --verbose
expect_match "$WORK/out" '^torch ' "--version --verbose names torch"
expect_status 2 "usage error of a handed-over command" -- "$GENOBIRD" model info --bogus
expect_match "$WORK/err" '^genobird model info: error: .*bogus' "usage error format after hand-over"

# An installed layout: bin/genobird with libexec/genobird/genobird-torch.
mkdir -p "$WORK/prefix/bin" "$WORK/prefix/libexec/genobird"
cp "$GENOBIRD" "$WORK/prefix/bin/genobird"
cp "$torch_binary" "$WORK/prefix/libexec/genobird/genobird-torch"
expect_status 0 "installed layout" -- "$WORK/prefix/bin/genobird" model info "$TEST_DATA/infer_model"
expect_match "$WORK/out" '^vocab_size' "model info from the installed layout"

# The hand-over passes the arguments unchanged and sets OMP_WAIT_POLICY=passive unless the user set it
# (a stand-in genobird-torch that prints what it got).
mkdir -p "$WORK/probe/bin" "$WORK/probe/libexec/genobird"
cp "$GENOBIRD" "$WORK/probe/bin/genobird"
printf '#!/bin/sh\necho "args=$*"\necho "OMP_WAIT_POLICY=$OMP_WAIT_POLICY"\n' > "$WORK/probe/libexec/genobird/genobird-torch"
chmod +x "$WORK/probe/libexec/genobird/genobird-torch"
expect_status 0 "hand-over to a stand-in" -- env -u OMP_WAIT_POLICY "$WORK/probe/bin/genobird" model info "a b" --verbose
expect_match "$WORK/out" '^args=model info a b --verbose$' "arguments handed over unchanged"
expect_match "$WORK/out" '^OMP_WAIT_POLICY=passive$' "passive OpenMP waiting by default"
expect_status 0 "user's OMP_WAIT_POLICY" -- env OMP_WAIT_POLICY=active "$WORK/probe/bin/genobird" model info x
expect_match "$WORK/out" '^OMP_WAIT_POLICY=active$' "the user's setting is kept"

# genobird-torch missing: a clear error with status 1, while the core commands still work.
rm "$WORK/prefix/libexec/genobird/genobird-torch"
expect_status 1 "genobird-torch missing" -- "$WORK/prefix/bin/genobird" model info "$TEST_DATA/infer_model"
expect_match "$WORK/err" 'genobird-torch is missing' "the missing executable is named"
expect_status 0 "core command without genobird-torch" -- "$WORK/prefix/bin/genobird" tokenizer info \
  --tokenizer "$TEST_DATA/lambda_bpe512.json"

finish
