/** The observer's HTTP server: the page, its JSON API and its event stream, on the JDK's own HTTP server. */
package io.ergon.observer.web;
