/** Shared internals of Hookwire. Not exported; not an API. */
package dev.hookwire.internal;
