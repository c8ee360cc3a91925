package org.htmlunit;

import java.io.Serializable;

public interface Page extends Serializable {
    WebResponse getWebResponse();
}
