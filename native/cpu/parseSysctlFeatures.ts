// Parses the output of macOS `sysctl -n machdep.cpu.features` / `machdep.cpu.leaf7_features`
// (space-separated names such as "BMI1 AVX2 SMEP") into a set of upper-case feature names.
export function parseSysctlFeatures(text: string): ReadonlySet<string> {
  return new Set(
    text
      .split(/\s+/)
      .filter((feature) => feature !== '')
      .map((feature) => feature.toUpperCase()),
  );
}
