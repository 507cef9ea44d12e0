import "server-only";
import { getEngine } from "../client";
import { listSubscriptions, setSubscription, subscriptionByToken, unsubscribeByToken, type MySubscription, type Subscriber } from "../subscriptions";
import type { Frequency } from "../../lib/digest-period";

// Digest subscriptions (issue 20, item 3; db/subscriptions.ts) for pages, actions and the
// unsubscribe route. The subscriber is the session's user; the unsubscribe link needs no
// session, its token is the proof (and stops that one subscription only).

export type { MySubscription };
export { SubscriptionError } from "../subscriptions";

export const mySubscriptions = (user: Subscriber) => listSubscriptions(getEngine(), user);
export const subscribe = (user: Subscriber, viewId: number, frequency: Frequency | "off") => setSubscription(getEngine(), user, viewId, frequency);
export const tokenSubscription = (token: string) => subscriptionByToken(getEngine(), token);
export const unsubscribeWithToken = (token: string) => unsubscribeByToken(getEngine(), token);
