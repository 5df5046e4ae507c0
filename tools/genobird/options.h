// Options shared by many subcommands, defined once so that their names, defaults and help agree
// everywhere (see ../shared/docs/CLI.md, "Conventions for every command").
#pragma once

#include <string>

#include "command.h"

namespace genobird::cli {

// -o/--output PATH; "-" (the default) is stdout, a ".gz" name is bgzip output.
void add_output_option(po::options_description& options, std::string& output);

// -t/--threads N; 0 (the default) means every core. resolve_threads() turns it into a count >= 1 and
// sets OPENBLAS_NUM_THREADS / OMP_NUM_THREADS to match when they are not set already.
void add_threads_option(po::options_description& options, int& threads);
int resolve_threads(int requested);

// --seed N (default 42).
void add_seed_option(po::options_description& options, unsigned long& seed);

// --init local|normal (default local): how a model trained from scratch starts (model/init.h).
void add_init_option(po::options_description& options, std::string& init);

// --device cpu|cuda|cuda:N|auto (default auto).
void add_device_option(po::options_description& options, std::string& device);

// The shortest text that reads back as `value` ("0.05", "0.0001", "5e-05"): how --help shows a default.
// Boost would print every digit a double holds ("0.050000000000000003").
std::string default_text(double value);

// po::value(target) with `value` as its default, shown in --help as default_text() writes it. Every option
// with a floating-point default is declared with it.
po::typed_value<double>* value_with_default(double* target, double value);

// Throws UsageError("--name must be ...") unless `ok`.
void require(bool ok, const std::string& message);

}  // namespace genobird::cli
