// A 24×24 stroked line icon drawn from SVG path data; decorative, so hidden from assistive tech.

export interface IconProps {
  readonly paths: readonly string[];
}

export function Icon({ paths }: IconProps) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths.map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
