/**
 * Hookwire's root package: {@link dev.hookwire.HookwireException}, the parent of every exception
 * the library throws on its own account.
 */
package dev.hookwire;
