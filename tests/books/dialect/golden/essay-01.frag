<h3 id="essay-01-custom-id">Custom Heading</h3>
<h3 id="essay-01-plain-section-heading">Plain Section Heading</h3>
<div class="epigraph" epub:type="epigraph">
<p>Words at the head of a chapter.</p>
<div class="aside">
<p>An aside, with <em>emphasis</em>.</p>
<div class="centered">
<div class="noindent">
<dl>
<dt>Term One</dt>
<dt>Term Two</dt>
<p class="line-block">The first line of verse<br/>    indented further<br/>and the last.</p>
<pre><code>E = mc^2 \, .
<caption>Fruits and their colours.</caption>
<div class="page-break"></div>
<p>A paragraph that links <a href="#essay-01-custom-id">to a heading here</a>, to <a href="#essay-01-plain-section-heading">one by its words</a>, by <a href="#essay-01-v1-2-notes">pandoc’s rule</a> and <a href="essay-02.xhtml#essay-02-far-heading">across parts</a>. Two to the tenth is 2<sup>10</sup>, water is H<sub>2</sub>O, and <del>this is struck</del> out. <span class="smallcaps">NASA</span> flew; the French say <span lang="fr" xml:lang="fr">bonjour</span>. Inline math <code>x^2 + y\,z</code> and a citation [@smith2020, p. 33].</p>
<p>A paragraph that links <a href="#essay-01-custom-id">to a heading here</a>, to <a href="#essay-01-plain-section-heading">one by its words</a>, by <a href="#essay-01-v1-2-notes">pandoc’s rule</a> and <a href="essay-02.xhtml#essay-02-far-heading">across parts</a>. Two to the tenth is 2<sup>10</sup>, water is H<sub>2</sub>O, and <del>this is struck</del> out. <span class="smallcaps">NASA</span> flew; the French say <span lang="fr" xml:lang="fr">bonjour</span>. Inline math <code>x^2 + y\,z</code> and a citation [@smith2020, p. 33].</p>
