"""Signals other apps listen to; sent after the transaction that caused them commits.

``package_submitted(submission_id, actor)``: a teacher submitted a package (``domain.packages``).
``material_checked(material_id, state)``: a material's check ended in a final state
(passed, warned or failed; ``domain.checks``).
``package_withdrawn(submission_id, actor, reason)``: the teacher withdrew a package
(``domain.packages``); it is no longer a showcased lesson.
``citations_changed(submission_id)``: the teacher replaced the package's citation list (R14;
``domain.packages``). Submissions never imports the listeners.
"""

from django.dispatch import Signal

package_submitted = Signal()
material_checked = Signal()
citations_changed = Signal()
package_withdrawn = Signal()
