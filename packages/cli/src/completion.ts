// Shell completion. The scripts ask the command line itself what may come next
// (`herald __complete <words so far>`), so they never go stale as commands are added.
import type { Command } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return `# herald completion for bash: eval "$(herald completion bash)" in ~/.bashrc
_herald_complete() {
  local IFS=$'\\n'
  local candidates
  candidates=$(herald __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)
  COMPREPLY=($(compgen -W "$candidates" -- "\${COMP_WORDS[COMP_CWORD]}"))
}
complete -o default -F _herald_complete herald
`;
    case 'zsh':
      return `#compdef herald
# herald completion for zsh: eval "$(herald completion zsh)" in ~/.zshrc
_herald() {
  local -a candidates
  candidates=(\${(f)"$(herald __complete \${words[2,CURRENT-1]} 2>/dev/null)"})
  compadd -- $candidates
}
compdef _herald herald
`;
    case 'fish':
      return `# herald completion for fish: herald completion fish > ~/.config/fish/completions/herald.fish
complete -c herald -f -a '(herald __complete (commandline -opc)[2..-1])'
`;
  }
}

/** What may follow `words`: the subcommands and options of the command they lead to. */
export function completions(program: Command, words: readonly string[]): string[] {
  let command = program;
  for (const word of words) {
    if (word.startsWith('-')) continue;
    const next = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (next) command = next;
  }
  const hidden = (c: Command) => (c as unknown as { _hidden?: boolean })._hidden === true;
  const names = command.commands.filter((c) => !hidden(c)).map((c) => c.name());
  const options = [...command.options, ...(command === program ? [] : program.options)]
    .map((option) => option.long)
    .filter((long): long is string => typeof long === 'string');
  return [...names, ...options, '--help'];
}
