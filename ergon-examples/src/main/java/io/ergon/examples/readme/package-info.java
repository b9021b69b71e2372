/**
 * The README's code, as real source: each {@code java} block of the README is a region of a file here (marked
 * {@code // [snippet NAME]} ... {@code // [end]}, or the whole file), {@code ReadmeSnippetsTest} fails when the README
 * and these files differ, and the tests run them. Edit the code here, then run {@code scripts/sync-readme-snippets.py}.
 */
package io.ergon.examples.readme;
