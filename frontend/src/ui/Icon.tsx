// Renders a lucide icon node (plain data) as SVG: the same data the SVG export draws.
import { createElement, memo } from "react";
import type { IconNode } from "lucide";

interface Props {
  readonly icon: IconNode;
  readonly size?: number;
  readonly strokeWidth?: number;
  readonly className?: string;
  readonly color?: string;
  readonly label?: string;
}

export const Icon = memo(function Icon({ icon, size = 16, strokeWidth = 2, className, color, label }: Props) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke={color ?? "currentColor"}
      strokeWidth={strokeWidth}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={className}
      aria-hidden={label ? undefined : true}
      role={label ? "img" : undefined}
      aria-label={label}
      focusable="false"
    >
      {icon.map(([tag, attrs], i) => createElement(tag, { key: i, ...attrs }))}
    </svg>
  );
});
