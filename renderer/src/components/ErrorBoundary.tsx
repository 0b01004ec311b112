import { Component, type ReactNode } from 'react';

/** A bug in one screen shows a message with a way back instead of a blank window. */
export class ErrorBoundary extends Component<{ children: ReactNode; message: string; retry: string }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="error" role="alert">
        <p>{this.props.message}</p>
        <button type="button" onClick={() => this.setState({ failed: false })}>
          {this.props.retry}
        </button>
      </div>
    );
  }
}
