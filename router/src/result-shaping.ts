import type {
  CompositeType,
  Directive,
  FieldSelection,
  Operation,
  Schema,
  SelectionSet,
  Type,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';
import { gatewayRequire } from './gateway-modules.ts';

// federation-internals as the gateway loads it: a variable in `@skip(if: $x)` is recognised with
// `instanceof Variable`, which must be the class of the copy that built the gateway's operations,
// should an install ever hold two copies.
const { ERRORS, Variable, isCompositeType, isListType, isNonNullType, isObjectType, isSubtype, isValidLeafValue, typenameFieldName } =
  gatewayRequire('@apollo/federation-internals') as typeof import('@apollo/federation-internals');

/** What the gateway's executor hands its result shaping, and what it takes back. */
export interface ShapingInput {
  operation: Operation;
  variables: Record<string, unknown> | undefined;
  input: Record<string, unknown> | null | undefined;
  introspectionHandling: (selection: FieldSelection) => unknown;
}
export interface ShapingOutput {
  data: Record<string, unknown> | null | undefined;
  errors: GraphQLError[];
}
type ComputeResponse = (input: ShapingInput) => ShapingOutput;

/** `@skip(if:)` / `@include(if:)`: a literal, or the name of the variable that decides. */
type Condition = boolean | { variable: string } | undefined;

/** One selection of a selection set, with what shaping needs of it read once. */
type Step =
  | {
      field: true;
      selection: FieldSelection;
      responseName: string;
      /**
       * A response name a plain object inherits (`__proto__`, `toString`, `constructor`, …): read
       * and set as an own property only (see `newOutputObject`).
       */
      inheritedName: boolean;
      typename: boolean;
      introspection: boolean;
      type: Type;
      selectionSet: SelectionSet | undefined;
      skip: Condition;
      include: Condition;
    }
  | { field: false; typeCondition: CompositeType | undefined; selectionSet: SelectionSet; skip: Condition; include: Condition };

interface ShapingState {
  schema: Schema;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  introspectionHandling: ShapingInput['introspectionHandling'];
  /** How many more bytes the escapes of `oneByteJson` take than the same characters in UTF-8. */
  escapedExtraBytes: number;
}

/**
 * The gateway's result shaping (`computeResponse` in @apollo/gateway 2.14's resultShaping.js):
 * the subgraphs' merged data cut to what the client asked for, in its order, with `__typename`
 * filled in, invalid leaves replaced by null and nulls bubbled up to the nearest nullable field,
 * each with the same error. Same rules, written to allocate little:
 *
 * - What a selection set says (its fields, their response names, types, and `@skip`/`@include`)
 *   is read once per selection set and kept, not filtered out of the directives again for every
 *   object of every list. The gateway keeps the operation while Apollo keeps its document
 *   (operation-memo.ts), so a persisted query is read once.
 * - A value's state (invalid, has errors) is passed back in two variables, not in an object per
 *   value.
 *
 * Apollo's version allocated 670 KB for a 20 KB answer of the storefront's search (of the 1.2 MB
 * the router allocated for that request), 9% of the router's busy time. `router/test/result-shaping.test.ts`
 * checks this one against Apollo's on generated answers, broken ones included.
 */
export function shapeResult({ operation, variables, input, introspectionHandling }: ShapingInput): ShapingOutput {
  if (!input) return { data: input, errors: [] };
  const schema = operation.schema();
  const parameters: ShapingState = {
    schema,
    variables: { __proto__: null, ...operation.collectDefaultedVariableValues(), ...variables } as Record<string, unknown>,
    errors: [],
    introspectionHandling,
    escapedExtraBytes: 0,
  };
  const data = newOutputObject();
  const rootType = schema.schemaDefinition.rootType(operation.rootKind)!;
  const bubbled = applySelectionSet(input, operation.selectionSet, data, parameters, [], rootType);
  if (bubbled) return { data: null, errors: parameters.errors };
  if (parameters.escapedExtraBytes > 0) escapedExtraBytesOf.set(data, parameters.escapedExtraBytes);
  return { data, errors: parameters.errors };
}

const escapedExtraBytesOf = new WeakMap<object, number>();

/**
 * How many bytes an answer's JSON text is longer than it would be with its characters written in
 * UTF-8 rather than escaped (`oneByteJson`): the answer-size cap counts the answer as UTF-8, as
 * before the escapes, so that escaping changes no answer's fate. 0 for data this module did not
 * shape (an answer read back from Redis holds its characters unescaped).
 */
export const bytesAddedByEscapes = (data: object | null | undefined): number => (data ? (escapedExtraBytesOf.get(data) ?? 0) : 0);

/** The gateway's own shaping, once `installResultShaping` has replaced it. */
let apolloComputeResponse: ComputeResponse | undefined;

/**
 * Puts `shapeResult` where the gateway's executor calls `computeResponse` (it reads the function
 * from the module's exports at each call). Returns Apollo's own, or undefined when the gateway no
 * longer has it there (its own shaping then runs, as before).
 */
export function installResultShaping(): ComputeResponse | undefined {
  const module = gatewayRequire('./resultShaping.js') as { computeResponse?: ComputeResponse };
  const current = module.computeResponse;
  if (typeof current !== 'function') return undefined;
  if (current === shapeResult) return apolloComputeResponse;
  apolloComputeResponse = current;
  module.computeResponse = shapeResult;
  return module.computeResponse === shapeResult ? current : undefined;
}

const stepsBySelectionSet = new WeakMap<SelectionSet, Step[]>();

function stepsOf(selectionSet: SelectionSet): Step[] {
  let steps = stepsBySelectionSet.get(selectionSet);
  if (steps) return steps;
  const schema = selectionSet.parentType.schema();
  const skipDirective = schema.skipDirective();
  const includeDirective = schema.includeDirective();
  steps = selectionSet.selections().map((selection): Step => {
    const skip = conditionOf(selection.element.appliedDirectivesOf(skipDirective)[0]);
    const include = conditionOf(selection.element.appliedDirectivesOf(includeDirective)[0]);
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      return {
        field: true,
        selection,
        responseName: field.responseName(),
        inheritedName: field.responseName() in Object.prototype,
        typename: field.name === typenameFieldName,
        introspection: field.definition.isSchemaIntrospectionField(),
        type: field.definition.type!,
        selectionSet: selection.selectionSet,
        skip,
        include,
      };
    }
    return { field: false, typeCondition: selection.element.typeCondition, selectionSet: selection.selectionSet, skip, include };
  });
  stepsBySelectionSet.set(selectionSet, steps);
  return steps;
}

function conditionOf(directive: Directive<any, { if: unknown }> | undefined): Condition {
  if (!directive) return undefined;
  const value = directive.arguments().if;
  return value instanceof Variable ? { variable: value.name } : (value as boolean);
}

function conditionHolds(condition: Exclude<Condition, undefined>, directive: string, variables: Record<string, unknown>): boolean {
  if (typeof condition !== 'object') return condition;
  const value = variables[condition.variable];
  if (value === undefined || typeof value !== 'boolean') throw new Error(`Unexpected value ${String(value)} for variable $${condition.variable} of @${directive}(if: $${condition.variable})`);
  return value;
}

function skipped(step: Step, variables: Record<string, unknown>): boolean {
  return (step.skip !== undefined && conditionHolds(step.skip, 'skip', variables)) || (step.include !== undefined && !conditionHolds(step.include, 'include', variables));
}

const hasOwn = Object.prototype.hasOwnProperty;

// The state of the value `updateOutputValue` returned last, read by its caller at once.
let lastInvalid = false;
let lastHasErrors = false;

/** Returns true when a null must bubble up from this object to its parent. */
function applySelectionSet(input: Record<string, unknown>, selectionSet: SelectionSet, output: Record<string, unknown>, parameters: ShapingState, path: (string | number)[], parentType: CompositeType): boolean {
  for (const step of stepsOf(selectionSet)) {
    if ((step.skip !== undefined || step.include !== undefined) && skipped(step, parameters.variables)) continue;
    if (step.field) {
      const responseName = step.responseName;
      const outputValue = outputOf(output, step);
      if (step.introspection) {
        if (outputValue === undefined) setOutput(output, step, parameters.introspectionHandling(step.selection));
        continue;
      }
      let inputValue = (hasOwn.call(input, responseName) ? input[responseName] : undefined) ?? null;
      if (step.typename) {
        if (outputValue === undefined) {
          if (inputValue === null && responseName !== typenameFieldName) inputValue = input[typenameFieldName] ?? null;
          const type = inputValue !== null && typeof inputValue === 'string' ? (parameters.schema.type(inputValue) ?? parentType) : parentType;
          if (!isObjectType(type)) return true;
          setOutput(output, step, type.name);
        }
        continue;
      }
      path.push(responseName);
      setOutput(output, step, updateOutputValue(outputValue, step.type, inputValue, step.selectionSet, path, parameters, parentType));
      path.pop();
      if (lastInvalid) return true;
    } else {
      const typename = input[typenameFieldName];
      if (typename && typeof typename !== 'string') throw new Error(`Got unexpected value for __typename: ${String(typename)}`);
      if (typeConditionApplies(parameters.schema, step.typeCondition, typename as string | undefined, parentType)) {
        if (applySelectionSet(input, step.selectionSet, output, parameters, path, step.typeCondition ?? parentType)) return true;
      }
    }
  }
  return false;
}

/** A field of an answer object, undefined when not set yet; see `newOutputObject` for the names a plain object inherits. */
function outputOf(output: Record<string, unknown>, step: { responseName: string; inheritedName: boolean }): unknown {
  return step.inheritedName && !hasOwn.call(output, step.responseName) ? undefined : output[step.responseName];
}

/** Sets a field of an answer object; see `newOutputObject` for the names a plain object inherits. */
function setOutput(output: Record<string, unknown>, step: { responseName: string; inheritedName: boolean }, value: unknown): void {
  if (step.inheritedName) Object.defineProperty(output, step.responseName, { value, writable: true, enumerable: true, configurable: true });
  else output[step.responseName] = value;
}

/**
 * An answer object. A plain object rather than Apollo's `Object.create(null)`: V8 keeps an
 * object without a prototype in dictionary mode, and serialising those was slower (the router's
 * `JSON.stringify` of the partners listing's 67 KiB answer took 0.33 ms against 0.24 ms for the
 * same tree of plain objects, issue 21). A response name the object would inherit (a client may
 * alias a field `toString`, `constructor` or `__proto__`) is read only as an own property and
 * defined rather than assigned, so it is neither taken for a value already there nor made the
 * object's prototype.
 */
const newOutputObject = (): Record<string, unknown> => ({});

function typeConditionApplies(schema: Schema, typeCondition: CompositeType | undefined, typename: string | undefined, parentType: CompositeType): boolean {
  if (!typeCondition) return true;
  if (typename) {
    const type = schema.type(typename);
    return !!type && isSubtype(typeCondition, type as CompositeType);
  }
  return isSubtype(typeCondition, parentType);
}

function describeLast(path: (string | number)[], currentType: Type, parentType: CompositeType): string {
  const element = path[path.length - 1];
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
}

function invalidGraphQL(message: string, path: (string | number)[]): GraphQLError {
  return ERRORS.INVALID_GRAPHQL.err(message, { path: Array.from(path) });
}

/** The value to put in the answer; sets `lastInvalid` and `lastHasErrors` for the caller. */
function updateOutputValue(outputValue: unknown, type: Type, inputValue: unknown, selectionSet: SelectionSet | undefined, path: (string | number)[], parameters: ShapingState, parentType: CompositeType): unknown {
  if (inputValue === undefined) throw new Error('Should not pass undefined for `inputValue` to this method');
  if (outputValue === null || (outputValue !== undefined && !selectionSet)) {
    lastInvalid = lastHasErrors = false;
    return outputValue;
  }
  if (isNonNullType(type)) {
    const updated = updateOutputValue(outputValue, type.ofType, inputValue, selectionSet, path, parameters, parentType);
    if (updated === null) {
      if (!lastHasErrors) parameters.errors.push(invalidGraphQL(`Cannot return null for non-nullable ${describeLast(path, type.ofType, parentType)}.`, path));
      lastInvalid = lastHasErrors = true;
      return null;
    }
    lastInvalid = lastHasErrors = false;
    return updated;
  }
  if (inputValue === null) {
    lastInvalid = lastHasErrors = false;
    return null;
  }
  if (isListType(type)) {
    if (!Array.isArray(inputValue)) throw new Error(`Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${type}`);
    if (outputValue !== undefined && !Array.isArray(outputValue)) throw new Error(`Invalid non-list value ${String(outputValue)} returned by subgraph for list type ${type}`);
    const outputs = outputValue as unknown[] | undefined;
    if (outputs && inputValue.length !== outputs.length) throw new Error(`[${String(inputValue)}].length (${inputValue.length}) !== [${String(outputs)}].length (${outputs.length})`);
    const updated: unknown[] = [];
    let nullify = false;
    let hasErrors = false;
    for (let index = 0; index < inputValue.length; index++) {
      path.push(index);
      updated.push(updateOutputValue(outputs?.[index], type.ofType, inputValue[index], selectionSet, path, parameters, parentType));
      path.pop();
      nullify ||= lastInvalid;
      hasErrors ||= lastHasErrors;
    }
    lastInvalid = false;
    lastHasErrors = hasErrors;
    return nullify ? null : updated;
  }
  if (isCompositeType(type)) {
    if (!selectionSet) throw new Error(`Invalid empty selection set for composite type ${type}`);
    if (typeof inputValue !== 'object') throw new Error(`Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type}`);
    if (outputValue !== undefined && typeof outputValue !== 'object') throw new Error(`Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type}`);
    const object = inputValue as Record<string, unknown>;
    const inputTypename = object[typenameFieldName];
    if (inputTypename !== undefined && typeof inputTypename !== 'string') throw new Error(`Invalid non-string value ${String(inputTypename)} for __typename at ${String(path)}`);
    let objectType: CompositeType = type;
    if (inputTypename) {
      const named = parameters.schema.type(inputTypename);
      if (!named || !isCompositeType(named)) {
        parameters.errors.push(invalidGraphQL(`Invalid __typename found for object at ${describeLast(path, type, parentType)}.`, path));
        lastInvalid = false;
        lastHasErrors = true;
        return null;
      }
      objectType = named;
    }
    const outputObject = (outputValue ?? newOutputObject()) as Record<string, unknown>;
    const bubbled = applySelectionSet(object, selectionSet, outputObject, parameters, path, objectType);
    lastInvalid = false;
    lastHasErrors = bubbled;
    return bubbled ? null : outputObject;
  }
  if (outputValue !== undefined) throw new Error(`Excepted output to be undefined but got ${type} for type ${type}`);
  const valid = isValidLeafValue(parameters.schema, inputValue, type as Parameters<typeof isValidLeafValue>[2]);
  if (!valid) parameters.errors.push(invalidGraphQL(`Invalid value found for ${describeLast(path, type, parentType)}.`, path));
  lastInvalid = false;
  lastHasErrors = !valid;
  return valid ? (typeof inputValue === 'string' ? oneByteJson(inputValue, parameters) : inputValue) : null;
}

declare global {
  interface JSON {
    /** ES2025's JSON.parse source text access (V8 11.4, Node 21): a value JSON.stringify writes as the text given. */
    rawJSON(text: string): object;
  }
}

/** A character V8 cannot hold in a one-byte string. */
const TWO_BYTE = /[\u0100-\uffff]/;
const TWO_BYTE_ALL = /[\u0100-\uffff]/g;

/**
 * A string of the answer, as the answer's JSON will hold it. V8 holds a string with any character
 * past U+00FF (’, ‘, Arabic script) as two bytes a character, and one such string makes
 * `JSON.stringify` write the whole answer that way, slower to write and far slower to encode to
 * UTF-8: the partners listing at programme scale (67 KiB, a ’ in the media partners' outcomes)
 * took the router 1.1 ms of CPU to serialise and encode, 0.33 ms once one byte a character
 * (issue 21). A string with a few such characters is put in the answer as its JSON text with
 * them escaped (`\u2019`), which JSON.stringify writes as it is; clients read the same string.
 * Every other string is left as it is: one-byte strings (found so by a test V8 answers without
 * reading them) and strings mostly of such characters (a description in Arabic script), which
 * escaped would take twice their UTF-8 bytes and one callback a character (found by a review:
 * 300 such items took 6× as long to write), while the answer holding them stays two bytes a
 * character anyway.
 */
function oneByteJson(value: string, state: ShapingState): unknown {
  if (!TWO_BYTE.test(value)) return value;
  const escapesAllowed = 8 + (value.length >> 4);
  let wide = 0;
  for (let index = 0; index < value.length; index++) if (value.charCodeAt(index) > 0xff && ++wide > escapesAllowed) return value;
  return JSON.rawJSON(
    // JSON.stringify has already escaped any lone surrogate, so the halves met here are in pairs.
    JSON.stringify(value).replace(TWO_BYTE_ALL, (character) => {
      const code = character.charCodeAt(0);
      // Six bytes, where UTF-8 takes two (up to U+07FF, and each half of a surrogate pair) or three.
      state.escapedExtraBytes += code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 4 : 3;
      return `\\u${code.toString(16).padStart(4, '0')}`;
    }),
  );
}
