import type { EventAction, MDAEvent } from './mda-event';
import { isRelativeZ } from './plan-geometry';
import type { AxesBasedAutofocus, MDASequence } from './plan-types';
import { zPlanPositions } from './z-positions';

/** The index each autofocus plan saw last, per expansion (useq keeps it on the plan object). */
export type AutofocusState = Map<AxesBasedAutofocus, Readonly<Record<string, number>>>;

const actions = new WeakMap<AxesBasedAutofocus, EventAction>();

function actionOf(plan: AxesBasedAutofocus): EventAction {
  let action = actions.get(plan);
  if (!action) {
    action = Object.freeze({
      type: 'hardware_autofocus' as const,
      ...(plan.autofocusDeviceName !== null ? { autofocusDeviceName: plan.autofocusDeviceName } : {}),
      ...(plan.autofocusMotorOffset !== null ? { autofocusMotorOffset: plan.autofocusMotorOffset } : {}),
    });
    actions.set(plan, action);
  }
  return action;
}

/**
 * The autofocus event to run before `event`, or null: one whenever any of the plan's axes changed since the last
 * event this plan saw. Its z is the stack's home plane when the root plan's z is relative, as useq does (useq
 * looks the plane up in the root sequence's z plan even inside a position's sub-sequence).
 */
export function autofocusEventFor(plan: AxesBasedAutofocus, event: MDAEvent, root: MDASequence, state: AutofocusState): MDAEvent | null {
  const previous = state.get(plan) ?? {};
  state.set(plan, event.index);
  const changed = Object.entries(event.index).some(([axis, i]) => (plan.axes as readonly string[]).includes(axis) && previous[axis] !== i);
  if (!changed) return null;
  let zPosUm = event.zPosUm;
  const plane = event.index.z;
  if (zPosUm !== undefined && root.zPlan && isRelativeZ(root.zPlan) && plane !== undefined) {
    const planes = zPlanPositions(root.zPlan);
    // useq would fail on a plane the root plan does not have; we keep the event's z then.
    if (plane < planes.length) zPosUm -= planes.at(plane);
  }
  return Object.freeze({ ...event, action: actionOf(plan), ...(zPosUm !== undefined ? { zPosUm } : {}) });
}
