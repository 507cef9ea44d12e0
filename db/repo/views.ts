import "server-only";
import { getEngine } from "../client";
import { changeView, createView, deleteView, getView, listViews, type NewView, type SavedView, type ViewChange, type ViewReader } from "../views";

// Saved views (issue 20, item 1; db/views.ts) for pages and actions. The reader is the
// session's user (its role and, for a member, its company), never a value of the request.

export type { SavedView };
export { ViewError } from "../views";

export const myViews = (reader: ViewReader) => listViews(getEngine(), reader);
export const myView = (reader: ViewReader, id: number) => getView(getEngine(), reader, id);
export const saveView = (owner: ViewReader, input: NewView) => createView(getEngine(), owner, input);
export const updateView = (owner: ViewReader, change: ViewChange) => changeView(getEngine(), owner, change);
export const removeView = (owner: ViewReader, id: number) => deleteView(getEngine(), owner, id);
