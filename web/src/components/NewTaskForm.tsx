/** Start a task: prompt, repository, agent, model, kind, base branch, name and yolo. */
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { api, errorMessage } from "../api";
import { navigate } from "../router";
import { liveStore, useLive } from "../store";
import type { NewTaskInput, WebConfig } from "../types";

const LAST_REPO = "grove.lastRepo";

export function NewTaskForm() {
  const { tasks } = useLive();
  const [config, setConfig] = useState<WebConfig>({
    models: ["demo"],
    agents: ["builtin", "claude", "codex"],
    kinds: ["maintenance", "feature", "research", "explain"],
  });
  const repos = useMemo(() => [...new Set([...tasks.values()].map((task) => task.repo))], [tasks]);
  const [form, setForm] = useState({
    cwd: localStorage.getItem(LAST_REPO) ?? "",
    prompt: "",
    agent: "",
    model: "",
    kind: "",
    base: "",
    name: "",
    yolo: false,
  });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    api
      .config()
      .then(setConfig)
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (!form.cwd && repos[0]) setForm((previous) => ({ ...previous, cwd: repos[0]! }));
  }, [repos, form.cwd]);

  const set = (field: keyof typeof form) => (value: string | boolean) =>
    setForm((previous) => ({ ...previous, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const input: NewTaskInput = { cwd: form.cwd.trim(), prompt: form.prompt, yolo: form.yolo };
    for (const field of ["agent", "model", "kind", "base", "name"] as const) {
      const value = form[field].trim();
      if (value) input[field] = value;
    }
    try {
      const task = await api.create(input);
      localStorage.setItem(LAST_REPO, input.cwd);
      liveStore.setTask(task);
      navigate(`/tasks/${task.id}`);
    } catch (error) {
      setProblem(errorMessage(error));
      setBusy(false);
    }
  };

  return (
    <form className="new-task" onSubmit={(event) => void submit(event)} data-testid="new-task-form">
      <h1>New task</h1>
      <label>
        What should the agent do?
        <textarea
          rows={6}
          required
          value={form.prompt}
          onChange={(event) => set("prompt")(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey))
              event.currentTarget.form?.requestSubmit();
          }}
          placeholder="Fix the deprecation warnings in the test output"
          data-testid="new-task-prompt"
        />
      </label>
      <label>
        Repository (a path inside it)
        <input
          required
          list="grove-repos"
          value={form.cwd}
          onChange={(event) => set("cwd")(event.target.value)}
          placeholder="/home/you/code/project"
          data-testid="new-task-cwd"
        />
        <datalist id="grove-repos">
          {repos.map((repo) => (
            <option key={repo} value={repo} />
          ))}
        </datalist>
      </label>
      <div className="grid">
        <label>
          Agent
          <select
            value={form.agent}
            onChange={(event) => set("agent")(event.target.value)}
            data-testid="new-task-agent"
          >
            <option value="">repository default</option>
            {config.agents.map((agent) => (
              <option key={agent}>{agent}</option>
            ))}
          </select>
        </label>
        <label>
          Model
          <input
            list="grove-models"
            value={form.model}
            onChange={(event) => set("model")(event.target.value)}
            placeholder="repository default"
            data-testid="new-task-model"
          />
          <datalist id="grove-models">
            {config.models.map((model) => (
              <option key={model} value={model} />
            ))}
          </datalist>
        </label>
        <label>
          Kind
          <select
            value={form.kind}
            onChange={(event) => set("kind")(event.target.value)}
            data-testid="new-task-kind"
          >
            <option value="">maintenance (default)</option>
            {config.kinds.map((kind) => (
              <option key={kind}>{kind}</option>
            ))}
          </select>
        </label>
        <label>
          Base branch
          <input
            value={form.base}
            onChange={(event) => set("base")(event.target.value)}
            placeholder="the checked-out branch"
            data-testid="new-task-base"
          />
        </label>
        <label>
          Name (for the branch)
          <input
            value={form.name}
            onChange={(event) => set("name")(event.target.value)}
            placeholder="from the prompt"
            data-testid="new-task-name"
          />
        </label>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={form.yolo}
          onChange={(event) => set("yolo")(event.target.checked)}
          data-testid="new-task-yolo"
        />
        yolo: skip the agent's permission prompts (Claude Code's bypass mode)
      </label>
      {problem && (
        <p className="error-text" data-testid="new-task-error">
          {problem}
        </p>
      )}
      <div className="row end">
        <button type="submit" className="primary" disabled={busy} data-testid="new-task-submit">
          {busy ? "Starting…" : "Start task"}
        </button>
      </div>
    </form>
  );
}
