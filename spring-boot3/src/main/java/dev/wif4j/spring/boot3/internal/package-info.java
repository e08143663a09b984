/** Implementation details of the Spring Boot 3 starter; not an API. */
package dev.wif4j.spring.boot3.internal;
