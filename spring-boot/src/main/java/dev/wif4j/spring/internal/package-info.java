/** Implementation details of the starter; not an API. */
package dev.wif4j.spring.internal;
