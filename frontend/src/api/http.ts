// REST calls with the session cookie and Django's CSRF header; errors carry the
// server's {code, message, path, retryable} body.
export interface Problem {
  readonly code?: string;
  readonly message: string;
  readonly path?: string;
  /** Where in an imported Mermaid chart (1-based). */
  readonly line?: number;
  /** An Excalidraw element's or draw.io cell's id in the imported file. */
  readonly id?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export class Api {
  constructor(
    readonly base: string,
    private readonly csrf: string,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("POST", path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PUT", path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PATCH", path, body);
  }

  delete(path: string): Promise<void> {
    return this.request<void>("DELETE", path);
  }

  url(path: string): string {
    return `${this.base.replace(/\/$/, "")}/${path.replace(/^\//, "")}`;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...(method === "GET" ? {} : { "X-CSRFToken": this.csrf }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, "network", "Could not reach the server. Check your connection and try again.");
    }
    if (response.status === 204) return undefined as T;
    let data: unknown = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      const error = (data ?? {}) as { code?: string; message?: string; path?: string; problems?: Problem[]; detail?: string };
      throw new ApiError(
        response.status,
        error.code ?? "error",
        error.message ?? error.detail ?? `The server answered ${response.status}.`,
        error.path,
        Array.isArray(error.problems) ? error.problems : [],
      );
    }
    return data as T;
  }
}
