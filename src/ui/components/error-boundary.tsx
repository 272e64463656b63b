/**
 * Catches a rendering error in a part of the page so one bad view (an unexpected result
 * shape, a browser quirk) never blanks the whole app. "Try again" renders the part again;
 * state kept outside it (the room store, with the typed input) is untouched.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children?: ReactNode;
  /** What failed, in words ("this room", "the result"). */
  what: string;
}

export class ErrorBoundary extends Component<Props, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    // The console is the only place this goes: nothing is reported over the network.
    console.error(`Parley view error in ${this.props.what}:`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="card error" role="alert" data-testid="error">
        <p>Something went wrong showing {this.props.what}. Try again, or reload the page.</p>
        <button type="button" onClick={() => this.setState({ error: undefined })}>
          Try again
        </button>
      </section>
    );
  }
}
