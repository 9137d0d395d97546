// How a PR comment reads before anyone opens its details: the lines outside <details>…</details>, as
// GitHub shows them (blank lines and the hidden marker left out).

/** The markdown with every `<details>…</details>` block taken out. */
export function outsideDetails(markdown: string): string {
  return markdown.replace(/<details>[\s\S]*?<\/details>/g, '<details>')
}

/** The lines a reader sees with the details closed: not blank, not an HTML comment (the marker). */
export function visibleLines(markdown: string): string[] {
  return outsideDetails(markdown)
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^<!--.*-->$/.test(line.trim()))
}

/** The markdown inside the `<details>` blocks. */
export function insideDetails(markdown: string): string {
  return [...markdown.matchAll(/<details>([\s\S]*?)<\/details>/g)]
    .map((m) => m[1]!)
    .join('\n')
}
